//! The scenario name. It names the default output folder `results/<name>/`, so it must be one
//! plain folder name there: not a path, not `.` or `..`, and nothing a terminal or a file system
//! would read otherwise.

/// The longest name, in bytes (UTF-8); file systems allow 255 for one folder name.
pub const MAX_NAME_BYTES: usize = 100;

/// What the error says is allowed.
pub const NAME_ALLOWED: &str = "allowed: a folder name of 1 to 100 bytes, without / or \\, control characters or NUL, and not made of dots only (it names the output folder results/<name>/)";

/// Why `name` cannot name the output folder, or `None` when it can.
pub fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("the name is empty".into())
    } else if name.chars().all(|c| c == '.') {
        Some("a name of dots only is not a folder name".into())
    } else if name.contains(['/', '\\']) {
        Some("the name holds a path separator".into())
    } else if name.chars().any(char::is_control) {
        Some("the name holds a control character or NUL".into())
    } else if name.len() > MAX_NAME_BYTES {
        Some(format!("the name is {} bytes long", name.len()))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_folder_names_are_names() {
        for good in [
            "pandemic-2020",
            "a",
            "crise été",
            ".hidden",
            "a.b",
            &"x".repeat(100),
        ] {
            assert_eq!(name_problem(good), None, "{good:?}");
        }
        for bad in [
            "",
            ".",
            "..",
            "...",
            "../../x",
            "/tmp/x",
            "a\\b",
            "a\nb",
            "a\0b",
            "a\u{1b}[2J",
            &"x".repeat(101),
        ] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
    }
}
