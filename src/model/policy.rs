//! Policy levers L1-L12. Each lever is an intensity x >= 0 whose effect saturates as
//! lift(x) = 1 - exp(-x); most levers are folded into the parameters they move once per design
//! point, the rest are read in the mechanisms named in MODEL.md.

use super::config::{Applicants, Config, Programme};

/// Lever intensities, in the order of `params::LEVERS` (`policy.*`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levers {
    pub social_venture: f64,
    pub cultural_support: f64,
    pub territory_marketing: f64,
    pub newcomer_dialogue: f64,
    pub competence_centres: f64,
    pub communication_platforms: f64,
    pub development_centres: f64,
    pub training: f64,
    pub museum_support: f64,
    pub exit_corridors: f64,
    pub leader_support: f64,
    pub research_transfer: f64,
}

/// Saturating effect of an intensity: 0 at 0, 0.63 at 1, toward 1.
pub fn lift(x: f64) -> f64 {
    1.0 - (-x).exp()
}

/// Moves a share `base` toward 1 by `strength * lift(x)` of the remaining gap.
fn raise(base: f64, x: f64, strength: f64) -> f64 {
    base + (1.0 - base) * strength * lift(x)
}

/// Yearly budget of the L1 social venture fund per unit of the lever, million roubles.
pub const SOCIAL_VENTURE_BUDGET: f64 = 10.0;
/// Median award of the L1 social venture fund, million roubles.
pub const SOCIAL_VENTURE_MEDIAN: f64 = 0.3;

/// L1: a social venture fund of `SOCIAL_VENTURE_BUDGET` million roubles a year per unit, open to
/// unregistered communities, with the calls of the other community programmes (`calls` a year).
pub fn social_venture_fund(levers: &Levers, calls: u32) -> Option<Programme> {
    (levers.social_venture > 0.0).then_some(Programme {
        name: "social_venture",
        budget: SOCIAL_VENTURE_BUDGET * levers.social_venture,
        calls_per_year: calls,
        award_median: SOCIAL_VENTURE_MEDIAN,
        registration_required: false,
        applicants: Applicants::Communities,
    })
}

/// Share of the outside demand lost to a shock that domestic tourism makes up for the firms of
/// villages and small towns at full L2.
const TOURISM: f64 = 0.3;
/// Number of territory classes, from the first, that are small places (villages and small
/// towns): the classes L2, L3 and L10 act on.
const SMALL_PLACES: usize = 2;
/// Relative rise of the newcomer rate per unit of exit corridors (L10); territory marketing
/// (L3) raises it by 1 per unit.
const CORRIDOR_NEWCOMERS: f64 = 2.0;
/// Share of youth outflow held back at full territory marketing (L3).
const MARKETING_YOUTH_HOLD: f64 = 0.3;
/// Share of the gap to full human capital closed at full competence centres and training (L5,
/// L8).
const HUMAN_CAPITAL_RAISE: f64 = 0.25;
/// Weight of development centres (L7) relative to training (L8) in business skills.
const CENTRE_SKILLS: f64 = 0.5;
/// Share of the gap to full business skills closed at full training and development centres
/// (L8, L7).
const BUSINESS_SKILLS_RAISE: f64 = 0.4;
/// Share of the gap to full information exchange (C2) closed at full communication platforms
/// (L6).
const PLATFORM_INFORMATION: f64 = 0.4;
/// Share of the gap to full agency (C6) closed at full research transfer (L12).
const RESEARCH_AGENCY: f64 = 0.3;
/// Share of the gap to full recognition closed at full museum and leader support (L9, L11).
const RECOGNITION_RAISE: f64 = 0.3;
/// Share of the gap to a full external orientation of leaders closed at full leader support
/// (L11).
const ORIENTATION_RAISE: f64 = 0.3;
/// Burnout falls by the factor `exp(-LEADER_BURNOUT_RELIEF · L11)`.
const LEADER_BURNOUT_RELIEF: f64 = 0.7;
/// Relative rise of the cultural code's (D3) development rate at full cultural support (L2).
const CULTURAL_SUPPORT_CODE: f64 = 0.5;
/// Relative rise of the cultural code's (D3) development rate at full museum support (L9).
const MUSEUM_CODE: f64 = 0.5;
/// Relative rise of the integration rate at full development centres (L7).
const CENTRE_INTEGRATION: f64 = 0.5;

/// Folds the levers that act on parameters into the configuration.
pub fn apply(config: &mut Config) {
    let l = config.levers.clone();
    // L2: domestic tourism replaces part of the outside demand villages and small towns lose.
    for class in &mut config.classes[..SMALL_PLACES] {
        class.tourism = TOURISM * lift(l.cultural_support);
    }
    // L3, L10: megacity residents arrive in villages and small towns; L3 also holds youth.
    for class in &mut config.classes[..SMALL_PLACES] {
        class.newcomer_rate *= 1.0 + l.territory_marketing + CORRIDOR_NEWCOMERS * l.exit_corridors;
        class.youth_outflow *= 1.0 - MARKETING_YOUTH_HOLD * lift(l.territory_marketing);
    }
    // L5, L8, L10: human capital; L8, L7: business skills.
    config.community.human_capital = raise(
        config.community.human_capital,
        l.competence_centres + l.training,
        HUMAN_CAPITAL_RAISE,
    );
    config.community.business_skills = raise(
        config.community.business_skills,
        l.training + CENTRE_SKILLS * l.development_centres,
        BUSINESS_SKILLS_RAISE,
    );
    // L6: information exchange; L12: agency.
    config.criteria[1] = raise(
        config.criteria[1],
        l.communication_platforms,
        PLATFORM_INFORMATION,
    );
    config.criteria[5] = raise(config.criteria[5], l.research_transfer, RESEARCH_AGENCY);
    // L9, L11: recognition; L11: leaders oriented outward and less burnt out.
    config.community.recognition = raise(
        config.community.recognition,
        l.museum_support + l.leader_support,
        RECOGNITION_RAISE,
    );
    config.leadership.external_orientation = raise(
        config.leadership.external_orientation,
        l.leader_support,
        ORIENTATION_RAISE,
    );
    config.leadership.burnout *= (-LEADER_BURNOUT_RELIEF * l.leader_support).exp();
    // L2, L9: cultural code grows faster.
    config.development_rate[2] *= 1.0
        + CULTURAL_SUPPORT_CODE * lift(l.cultural_support)
        + MUSEUM_CODE * lift(l.museum_support);
    // L7: links to stakeholders raise integration and visibility.
    config.stance_rates[0] *= 1.0 + CENTRE_INTEGRATION * lift(l.development_centres);
    config.success.visibility_feedback *= 1.0 + lift(l.development_centres);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{apply_set, Scenario};

    #[test]
    fn levers_are_off_by_default_and_move_their_parameters() {
        let base = Config::from_scenario(&Scenario::default());
        assert!(base.programmes.iter().all(|p| p.name != "social_venture"));
        let mut s = Scenario::default();
        for set in [
            "policy.social_venture=1",
            "policy.leader_support=1",
            "policy.training=1",
        ] {
            apply_set(&mut s, set).unwrap();
        }
        let c = Config::from_scenario(&s);
        assert!(c
            .programmes
            .iter()
            .any(|p| p.name == "social_venture" && !p.registration_required));
        assert!(c.leadership.burnout < base.leadership.burnout);
        assert!(c.community.business_skills > base.community.business_skills);
        assert!(c.community.human_capital > base.community.human_capital);
    }
}
