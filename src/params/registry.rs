//! The table of scalar scenario keys. Shocks (`[[shocks]]`) and sweeps (`[sweep]`) are structured
//! and live in `scenario`; everything else a researcher can set is here.

use super::{Kind, ParamSpec, Value};

/// Territory classes, in the order of every per-class array.
pub const CLASSES: [&str; 3] = ["village", "small_town", "large_city"];
/// Community types, in the order of every per-type array.
pub const TYPES: [&str; 5] = ["civic", "ngo", "cultural", "entrepreneurial", "municipal"];
/// Directions of influence D1–D6, in order.
pub const DIRECTIONS: [&str; 6] = [
    "living_environment",
    "external_resources",
    "cultural_code",
    "strategy",
    "social_groups",
    "human_capital",
];
/// Grant programme levels funded from `grants.budget` (the social venture fund is lever L1).
pub const PROGRAMMES: [&str; 3] = ["federal", "regional", "foundation"];
/// Shock kinds accepted in `[[shocks]] kind`.
pub const SHOCK_KINDS: [&str; 3] = ["pandemic", "economic", "disaster"];
/// Policy levers L1–L12 with their factor IDs, in order.
pub const LEVERS: [(&str, &str, &str); 12] = [
    ("social_venture", "L1 C7", "funds for communities without registration: a grant programme open to unregistered communities; million roubles per year per unit"),
    ("cultural_support", "L2 D3", "state support for local cultural activity and domestic tourism: money to cultural communities and a lift to small-territory economies"),
    ("territory_marketing", "L3", "territory marketing to megacity residents: more newcomers and visitors to villages and small towns"),
    ("newcomer_dialogue", "L4 C4", "dialogue programmes with new residents: newcomers join communities as readily as natives"),
    ("competence_centres", "L5 B3", "regional policies and competence centres: better grant applications and members' human capital"),
    ("communication_platforms", "L6 C2 F3", "shared communication platforms: more information exchange and more horizontal ties between communities"),
    ("development_centres", "L7 S4 B2", "local development centres: links to stakeholders, business and the administration"),
    ("training", "L8 B2 B3", "training programmes and guidelines: business skills and human capital grow"),
    ("museum_support", "L9 D3 B4", "local museums as development centres: cultural code and recognition"),
    ("exit_corridors", "L10 B3", "exit corridors bringing big-city residents, with high human capital, into small territories"),
    ("leader_support", "L11 S3 B4", "support for the geniuses of the place: less leader burnout, more external orientation"),
    ("research_transfer", "L12 C6", "feedback and technology transfer from researchers: agency and expectations informed by evidence"),
];

struct Builder {
    specs: Vec<ParamSpec>,
}

impl Builder {
    fn push(
        &mut self,
        key: String,
        kind: Kind,
        default: Value,
        unit: &'static str,
        factors: &'static str,
        meaning: String,
    ) {
        self.specs.push(ParamSpec {
            key,
            kind,
            default,
            unit,
            factors,
            meaning,
        });
    }

    fn real(
        &mut self,
        key: &str,
        default: f64,
        range: (f64, f64),
        unit: &'static str,
        factors: &'static str,
        meaning: &str,
    ) {
        let kind = Kind::Real {
            min: range.0,
            max: range.1,
        };
        self.push(
            key.to_string(),
            kind,
            Value::Real(default),
            unit,
            factors,
            meaning.to_string(),
        );
    }

    fn share(&mut self, key: &str, default: f64, factors: &'static str, meaning: &str) {
        self.real(key, default, (0.0, 1.0), "share", factors, meaning);
    }

    fn whole(
        &mut self,
        key: &str,
        default: u64,
        range: (u64, u64),
        unit: &'static str,
        factors: &'static str,
        meaning: &str,
    ) {
        let kind = Kind::Whole {
            min: range.0,
            max: range.1,
        };
        self.push(
            key.to_string(),
            kind,
            Value::Whole(default),
            unit,
            factors,
            meaning.to_string(),
        );
    }

    fn flag(&mut self, key: &str, default: bool, factors: &'static str, meaning: &str) {
        self.push(
            key.to_string(),
            Kind::Flag,
            Value::Flag(default),
            "flag",
            factors,
            meaning.to_string(),
        );
    }

    /// One real key per territory class, `territory.<class>.<field>`.
    fn per_class(
        &mut self,
        field: &str,
        defaults: [f64; 3],
        range: (f64, f64),
        unit: &'static str,
        factors: &'static str,
        meaning: &str,
    ) {
        for (class, default) in CLASSES.iter().zip(defaults) {
            let key = format!("territory.{class}.{field}");
            self.real(
                &key,
                default,
                range,
                unit,
                factors,
                &format!("{meaning} ({class})"),
            );
        }
    }

    /// One real key per community type, `<prefix>.<type>`.
    fn per_type(
        &mut self,
        prefix: &str,
        defaults: [f64; 5],
        range: (f64, f64),
        unit: &'static str,
        factors: &'static str,
        meaning: &str,
    ) {
        for (ty, default) in TYPES.iter().zip(defaults) {
            self.real(
                &format!("{prefix}.{ty}"),
                default,
                range,
                unit,
                factors,
                &format!("{meaning} ({ty})"),
            );
        }
    }
}

const HUGE_POP: u64 = 100_000_000;
/// The longest run, burn-in or shock, in months (a century).
pub const MAX_RUN_MONTHS: u64 = 1200;

#[rustfmt::skip]
pub(super) fn build() -> Vec<ParamSpec> {
    let mut b = Builder { specs: Vec::new() };
    b.push("name".into(), Kind::Text, Value::Text("baseline".into()), "text", "", "scenario name; names the default output folder results/<name>/: 1 to 100 bytes, no / or \\, control characters or NUL, not dots only".into());

    // The run.
    b.whole("run.months", 48, (1, MAX_RUN_MONTHS), "months", "", "simulated horizon; month 0 is the first month");
    b.whole("run.burn_in", 24, (0, MAX_RUN_MONTHS), "months", "", "months simulated before month 0, without shocks, so that month 0 starts from the model's own steady state; counters start at month 0");
    b.push("run.reference".into(), Kind::Text, Value::Text(String::new()), "path", "", "the scenario whose parameters the burn-in runs under, so that a what-if starts from the same present as its reference: a scenario file (relative to this one's folder), or empty for the defaults; its region, populations, agent scales, initial communities (territory.<class>.communities), run and output keys are ignored (this scenario's hold)".into());
    b.push("run.burn_in_under".into(), Kind::Text, Value::Text("reference".into()), "text", "", "whose parameters the burn-in runs under: \"reference\" (run.reference's, the defaults if empty; this scenario's own values take effect at month 0, where the traits agents drew from a distribution this scenario changes move to its distribution, each agent keeping its rank: the same present, a different future) or \"scenario\" (this scenario's values from the first burn-in month: a region that had always been so)".into());
    b.whole("run.replicates", 20, (1, 1_000_000), "runs", "", "replicates per design point (a point's outcome values are held for exact quantiles: 8 bytes x outcomes x replicates, 1 GB at the maximum)");
    b.whole("run.seed", 1, (0, u64::MAX), "seed", "", "master seed; each run's seed derives from it, the point and the replicate");

    // The region.
    b.whole("region.villages", 10, (0, 100_000), "territories", "", "number of village territories in the region");
    b.whole("region.small_towns", 4, (0, 100_000), "territories", "S1 K1", "number of small-town territories in the region");
    b.whole("region.large_cities", 1, (0, 100_000), "territories", "K1", "number of large-city territories in the region");

    // Territories, per class.
    for (class, pop) in CLASSES.iter().zip([500u64, 6000, 100_000]) {
        b.whole(&format!("territory.{class}.population"), pop, (1, HUGE_POP), "inhabitants", "", &format!("inhabitants of one territory ({class})"));
    }
    for (class, scale) in CLASSES.iter().zip([1u64, 1, 1]) {
        b.whole(&format!("territory.{class}.agent_scale"), scale, (1, 1_000_000), "inhabitants per agent", "", &format!("inhabitants one resident agent stands for ({class}); counts are reported in inhabitants"));
    }
    b.per_class("communities", [2.0, 10.0, 60.0], (0.0, 100_000.0), "communities", "", "mean number of communities per territory at month 0 (Poisson)");
    b.per_class("public_sector_share", [0.35, 0.30, 0.18], (0.0, 1.0), "share", "K2b", "share of residents employed in the public sector");
    b.per_class("business_density", [0.2, 0.4, 0.8], (0.0, 1.0), "index", "B2 K4", "density of local business: partners for communities and exposure to a business shock");
    b.per_class("development", [0.2, 0.3, 0.6], (0.0, 1.0), "index", "S1 K2a", "initial development index of every direction D1-D6");
    b.per_class("youth_outflow", [0.06, 0.05, 0.01], (0.0, 1.0), "share per year", "B5", "share of youth leaving per year when no development holds them");
    b.per_class("scarcity_habit", [0.7, 0.55, 0.2], (0.0, 1.0), "index", "K2c K2d", "habit of living with scarcity and by tactics rather than strategy");
    b.per_class("newcomer_rate", [0.01, 0.015, 0.02], (0.0, 1.0), "share per year", "L3 L4 L10", "arrivals of new residents per year as a share of the population");
    b.per_class("formation_weight", [0.3, 1.0, 3.0], (0.0, 1000.0), "multiplier", "", "multiplier of community.formation_rate for a territory of this class");

    // Communities.
    b.per_type("community.type_mix", [0.25, 0.20, 0.25, 0.15, 0.15], (0.0, 1.0), "share", "R2", "share of communities of each type at month 0 and at formation; the five must sum to 1");
    b.share("community.registered_share", 0.45, "C7", "share of communities legally registered at start");
    b.real("community.registration_rate", 0.05, (0.0, 12.0), "per year", "C7", "rate at which an unregistered community with capacity registers");
    b.share("community.tie_diversity", 0.4, "F3", "propensity of communities to form ties across kinds of partners: at 1 a community seeks the kinds of partner it has few ties to, at 0 the kinds it has, at 0.5 neither; the diversity of each community's ties (1 - sum of squared category shares) follows from its edges");
    b.share("community.human_capital", 0.5, "B3", "mean human capital (knowledge, competencies) of residents");
    b.share("community.recognition", 0.5, "B4", "non-material motivation and recognition members receive; low values raise dropout and leader burnout");
    b.share("community.business_skills", 0.3, "B2", "mean skill of working with business; low values fix communities on the administration");
    b.share("community.value_platform", 0.5, "C5 R3", "mean strength of the value platform at start; protects against dissolution");
    b.real("community.formation_rate", 0.45, (0.0, 1000.0), "per territory per year", "", "new communities per territory per year (times the class formation_weight)");
    b.real("community.size", 12.0, (2.0, 10_000.0), "persons", "", "mean members of a community at start");
    b.share("community.cohesion", 0.5, "C1", "mean internal ties (bonding) at start; lowers member dropout and dissolution");
    b.share("community.information_exchange", 0.5, "C2", "mean information exchange at start; spreads recruitment, new ties to other communities and word of grant calls along ties");
    b.share("community.shared_tasks", 0.5, "C3 R3", "mean commitment to shared tasks at start; protects in a crisis");
    b.share("community.identity", 0.5, "C4", "mean 'one of us' boundary at start; holds members but keeps newcomers out");
    b.share("community.agency", 0.5, "C6", "mean agency at start: how far the community acts in its own right on its territory");
    b.share("community.territory_responsibility", 0.15, "C8", "share of communities that take responsibility for the territory as a whole (others pursue their own group's goals)");
    b.per_type("community.commercial_share", [0.05, 0.15, 0.15, 0.7, 0.1], (0.0, 0.95), "share", "R2 A4", "commercial share of activity in normal times");
    b.real("community.online_share", 0.1, (0.0, 0.5), "share", "A2", "online share of activity in normal times", );
    b.real("community.nonmonetary_accumulation", 0.02, (0.0, 1.0), "per month", "P3 R3", "rate at which activity accumulates intangible assets (the sustainable model)");

    // Leadership.
    b.share("leadership.external_orientation", 0.3, "S3", "share of leaders oriented to attracting external resources");
    b.real("leadership.burnout", 0.12, (0.0, 12.0), "per year", "B4", "leader departure hazard at mean recognition");
    b.share("leadership.succession", 0.7, "", "probability that a member takes over when the leader leaves");

    // Administration and stances.
    b.real("administration.head_turnover", 0.25, (0.0, 12.0), "changes per year", "B1", "expected changes of the head of administration per year (Poisson)");
    b.share("administration.openness", 0.5, "S2", "mean openness of a head to communities (Beta, redrawn at each change)");
    b.share("administration.inclusion", 0.4, "S2", "propensity of the administration to include communities in its activity and co-apply");
    b.share("administration.stance_reset", 0.5, "B1", "probability that a change of head resets a community's stance to neutrality");
    b.real("stance.integration_rate", 0.05, (0.0, 1.0), "per month", "X1", "base rate neutral -> integration, scaled by openness and inclusion");
    b.real("stance.distancing_rate", 0.05, (0.0, 1.0), "per month", "X2", "base rate integration -> neutral, scaled by the head's closedness");
    b.real("stance.confrontation_rate", 0.012, (0.0, 1.0), "per month", "X3", "base rate neutral -> confrontation, scaled by closedness and grievance");
    b.real("stance.reconciliation_rate", 0.05, (0.0, 1.0), "per month", "X3", "base rate confrontation -> neutral, scaled by openness");

    // Participation.
    b.real("participation.join_rate", 0.007, (0.0, 1.0), "per month", "S1", "highest monthly probability that a resident joins (Granovetter threshold model)");
    b.real("participation.threshold", 0.08, (0.001, 1.0), "share", "S1", "mean participation threshold: share of residents engaged at which a resident is half-willing");
    b.real("participation.steepness", 1.0, (0.1, 20.0), "exponent", "", "exponent a of P = X^a / (T^a + X^a)");
    b.real("participation.dropout", 0.15, (0.0, 12.0), "per year", "B4", "member dropout hazard at mean recognition");

    // Grants.
    b.flag("grants.enabled", true, "G1", "switch all grant programmes on or off");
    b.real("grants.budget", 30.0, (0.0, 1.0e7), "million roubles per year", "G3", "yearly budget of the region's grant programmes (the federal, regional and foundation levels; the federal comfortable-urban-environment competition has grants.urban.budget)");
    b.whole("grants.calls_per_year", 2, (0, 365), "calls", "G3", "competitive calls per year of each community programme (the federal comfortable-urban-environment competition holds one a year); a call offers its share of the yearly budget, and no award exceeds it");
    b.flag("grants.coapplication", true, "G2 S2", "the administration may file on a community's behalf");
    b.real("grants.coapplication_weight", 2.5, (1.0, 100.0), "multiplier", "G2 S2", "contest weight of an application the administration files");
    b.real("grants.award_tail", 1.6, (1.05, 10.0), "Pareto shape", "G3", "tail index of the amounts applications ask for, Pareto truncated at the call's budget (smaller = heavier tail)");
    b.real("grants.contest_exponent", 1.0, (0.0, 5.0), "exponent", "G3", "Tullock exponent r: how decisive application quality is");
    b.real("grants.matthew", 1.0, (0.0, 10.0), "multiplier", "G3 S4", "strength of the track-record feedback (Matthew effect): each recent win (fading with a 3-year half-life) adds this much to the contest weight 1 + matthew x record; 0 switches it off");
    b.share("grants.discouragement", 0.5, "G3", "how far a lost application lowers the propensity to apply: it is multiplied by 1 - discouragement and recovers by 1/12 of the gap a month, so the next year's applications are fewer; 0 = no discouragement");
    b.share("grants.apply_rate", 0.8, "S3", "probability that an eligible, oriented, able community applies to a call");
    b.real("grants.awareness", 0.5, (0.0, 1.0), "probability", "C2 G3", "probability that a community learns of a call with no tie to the programme (made by applying to it) and no neighbour or administration that passes the word on along a tie");
    for (level, share, median, reg) in [("federal", 0.4, 2.0, true), ("regional", 0.35, 1.5, true), ("foundation", 0.25, 0.8, false)] {
        b.share(&format!("grants.{level}.share"), share, "G3", &format!("share of grants.budget for {level} programmes; the three must sum to 1"));
        b.real(&format!("grants.{level}.award_median"), median, (0.001, 1.0e5), "million roubles", "G3", &format!("median award of {level} programmes"));
        b.flag(&format!("grants.{level}.registration_required"), reg, "C7", &format!("{level} programmes accept only registered applicants (co-application bypasses it)"));
    }
    b.real("grants.urban.budget", 80.0, (0.0, 1.0e7), "million roubles per year", "G3 S2", "funds of the federal competition for a comfortable urban environment that the region's villages and small towns can win in a year, in one yearly call (apart from grants.budget; no award exceeds it)");
    b.real("grants.urban.award_median", 50.0, (0.001, 1.0e5), "million roubles", "G3 S2", "median of the amounts asked in the federal comfortable-urban-environment competition (the report: 55 million for landscaping), truncated at the call's budget");

    // Development and success factors.
    for (dir, (id, rate)) in DIRECTIONS.iter().zip([("D1", 0.012), ("D2", 0.010), ("D3", 0.010), ("D4", 0.006), ("D5", 0.010), ("D6", 0.008)]) {
        let factors: &'static str = match id { "D1" => "D1", "D2" => "D2", "D3" => "D3", "D4" => "D4", "D5" => "D5", _ => "D6" };
        b.real(&format!("development.rate.{dir}"), rate, (0.0, 1.0), "per month", factors, &format!("conversion of community influence into development of {dir}"));
    }
    b.real("development.decay", 0.002, (0.0, 1.0), "per month", "", "monthly decay of each development index toward zero");
    b.real("development.low_base", 1.5, (0.0, 10.0), "exponent", "S1", "marginal return of influence is (1 - development)^low_base");
    b.real("success.visibility_feedback", 0.03, (0.0, 1.0), "per month", "S4", "monthly probability, per unit reputation, of an outside organisation approaching the community");
    b.real("success.partner_money", 0.3, (0.0, 1.0e4), "million roubles", "S4 B2", "mean money brought by an outside or business partnership");

    // The network of ties.
    b.real("ties.fade", 0.01, (0.0, 1.0), "per month", "C2 F3", "monthly share of a tie's strength lost unless renewed; a tie below half the strength of a new one is dropped (at 0.01 an unrenewed tie lasts 69 months)");
    b.share("ties.expectation_pull", 0.3, "F3 F4", "weight of the neighbouring communities' mean expectation (weighted by tie strength) in a co-creating community's expectation target; half of it for linear strategising; 0 = expectations do not travel along ties");

    // The crisis.
    b.share("crisis.low_base_buffer", 0.7, "K2a", "how far a low development level spares community activity (nowhere to fall)");
    b.share("crisis.public_sector_buffer", 0.8, "K2b", "how far public-sector members are spared the economic stress");
    b.share("crisis.scarcity_buffer", 0.7, "K2c", "how far the scarcity habit spares members the economic stress");
    b.share("crisis.tactics_buffer", 0.7, "K2d", "how far living by tactics spares plans from postponement");
    b.share("crisis.barter", 0.5, "K3", "how far non-monetary exchange (barter, services in kind) replaces cash that residents, firms and communities lack in a crisis");
    b.share("crisis.nonpayment", 0.95, "K4", "share of private orders left unpaid at a crisis's peak; the work is done and the debt deferred (receivables)");
    b.share("crisis.mutual_aid", 0.3, "K4", "how far fellow members of an entrepreneurial community carry a member firm's unpaid receivables (mutual credit): the share of the gap between each member's liquidity and the association's mean that pooling closes");
    b.share("crisis.postponement", 0.5, "A1 P2", "propensity to postpone current projects done in person (public spaces first) into a backlog: the monthly chance that a running task is postponed under full restriction on gathering");
    b.share("crisis.online_shift", 0.2, "A2", "propensity to move tasks online under restrictions: new online tasks per month per unit of restriction");
    b.share("crisis.pressing_tasks", 0.35, "A3 R3", "rate at which a crisis brings pressing tasks (help for seniors, masks, advocacy): 2 x this many a month at full pressing pressure; they are taken up only with capacity no running task uses");
    b.share("crisis.voiding", 0.7, "P2", "share of the tasks postponed in a shock that the end of the epidemic voids (\"the end of the epidemic resets all plans\")");
    b.share("crisis.leader_spending", 0.3, "A5", "share of a money shortfall the leader covers from own money");
    b.share("crisis.partnership", 0.5, "A6", "extra pull toward integration when an open administration needs partners in a crisis");
    b.share("crisis.business_advocacy", 0.3, "A7", "effectiveness of business associations (entrepreneurial communities, best when integrated) in negotiating relief on the fixed costs of every firm of the territory in a crisis");
    b.share("crisis.lean_strategy", 0.3, "A8", "share of communities that drop showcase activity for niche, infrastructure and volunteer work");

    // Firms and the territorial economy.
    b.real("economy.firm_density", 0.08, (0.0, 1.0), "firms per inhabitant", "K1 B2", "firms per inhabitant at business density 1 (times territory.<class>.business_density)");
    b.real("economy.firm_jobs", 10.0, (0.0, 1000.0), "inhabitants", "K1 K2b", "inhabitants employed by a firm of mean size: with the public sector, the territory's economic level");
    b.share("economy.b2b", 0.5, "K1", "share of a firm's orders placed by other firms at business density 1; they follow the firms' own orders of the month before, so a dense business economy answers a shock with a lag");
    b.real("economy.reserve", 4.0, (0.0, 120.0), "months of costs", "K4", "cash a firm keeps, in months of its normal costs: a new firm starts with it, and the owner draws what the firm earns above it");
    b.real("economy.credit_limit", 0.5, (0.0, 120.0), "months of costs", "K4 R2", "debt a firm can carry, in months of its normal costs, before it may close");
    b.share("economy.closure_rate", 0.25, "K4 R2", "monthly probability that a firm beyond its credit limit closes");
    b.real("economy.turnover", 0.08, (0.0, 12.0), "per year", "", "yearly exit of solvent firms; new firms open at this rate at normal demand");
    b.share("economy.repayment", 0.2, "K4", "monthly share of receivables and mutual credit repaid when payment is normal");
    b.share("economy.restriction_spending", 0.3, "K1", "cut of residents' in-person spending per unit of restriction on gathering");

    // Dissolution.
    b.real("dissolution.base_hazard", 0.02, (0.0, 1.0), "per year", "R1", "dissolution hazard of an average established community in normal times");
    b.real("dissolution.commercial_exposure", 1.5, (0.0, 20.0), "log-odds per unit", "R2", "hazard from losing the commercial base (entrepreneurial communities lose most)");
    b.real("dissolution.stress_hazard", 1.0, (0.0, 20.0), "log-odds per unit", "K2", "hazard from the economic stress of private-sector residents (0 to 1): members who are struggling to make ends meet drift away from their community");
    b.real("dissolution.resilience", 1.0, (0.0, 10.0), "log-odds per unit", "R3", "protection from shared tasks, intangible assets and cohesion");
    b.real("dissolution.newness", 1.0, (0.0, 10.0), "log-odds", "R1", "liability of newness at age 0, halving every year");

    // Horizon and expectations.
    b.real("horizon.normal", 12.0, (1.0, 240.0), "months", "P1", "planning horizon in normal times");
    b.real("horizon.stress_sensitivity", 6.0, (0.0, 50.0), "breaks per unit", "P1", "k: plan breaks a community perceives per unit share of its planned work postponed or voided in a month; the horizon is H = 1 / (1/H0 + perceived break rate)");
    b.share("horizon.recovery_rate", 0.25, "P2", "monthly share of the perceived break rate forgotten when plans hold (how fast the horizon recovers)");
    b.real("expectations.money_fear", 0.5, (0.0, 5.0), "weight", "F1", "weight of the fear of having no money in expectations");
    b.share("expectations.dream_share", 0.3, "F2", "share of communities with goals and dreams (20+ years) rather than tasks (3-5 years)");
    b.real("expectations.prophecy_gain", 1.0, (0.0, 10.0), "gain", "F3", "feedback gain of self-fulfilling prophecies, times the diversity of the community's ties");
    b.share("expectations.cocreation_share", 0.4, "F4", "share of communities working with the future by co-creation rather than linear strategising");
    b.real("expectations.effort", 0.3, (0.0, 2.0), "per unit expectation", "F3", "rise of effort with expectation");

    // Policy levers.
    for (lever, factors, meaning) in LEVERS {
        b.real(&format!("policy.{lever}"), 0.0, (0.0, 100.0), "intensity", factors, meaning);
    }

    // The study's own observation: its three waves of interviews and its sample of communities.
    for (wave, start, months, when) in [(1, 13, 2, "February-March 2020"), (2, 15, 2, "April-May 2020"), (3, 23, 4, "December 2020-March 2021")] {
        b.whole(&format!("observe.wave{wave}_start"), start, (0, MAX_RUN_MONTHS), "month", "R1", &format!("first month of the study's wave {wave} of interviews (the report's: {when}; month 0 of pandemic-2020 is January 2019); the waves must follow one another without overlap; wave<k>_ outcomes of a wave that does not end within run.months are empty"));
        b.whole(&format!("observe.wave{wave}_months"), months, (1, MAX_RUN_MONTHS), "months", "R1", &format!("length of the study's wave {wave} of interviews"));
    }
    b.whole("observe.sample_size", 20, (1, 1_000_000), "communities", "R1", "communities the study interviews: a simple random sample, drawn from its own stream, of the communities alive through wave 1 (all of them if fewer); r1_signals counts those showing the signal of disintegration");
    b.real("observe.signal_member_loss", 0.5, (0.01, 1.0), "share of members", "R1", "signal of disintegration: a community that has lost at least this share of its members since the end of wave 1 (1 keeps only communities left with none)");
    b.real("observe.signal_activity", 0.0, (0.0, 1.0), "share of own level", "R1", "optional signal of disintegration: a community whose activity stays below this share of its own wave-1 level in every month of a later wave; 0 (the default) switches this sign off, because the report reads postponed in-person work as adaptation, not disintegration");

    b.flag("output.timeseries", false, "", "write timeseries.csv with monthly series of every run");
    b.flag("output.counterfactual", true, "", "with shocks: pair each run with its twin without shocks on the same random streams, forked when the first shock starts, and fill the <crisis outcome>_excess columns (the run minus its twin); false leaves them empty and saves the twin's months");
    b.flag("output.communities", false, "", "write communities.csv: one row per community of every run (each community alive at month 0 or founded later) with its territory, type, registration, founding and exit months, members at the start, at their peak and at the end, grant applications, awards and money, months in each stance and ties by kind at the end (MODEL.md, section 8); observation only: the runs are the same with it or without");
    b.flag("output.territories", false, "", "write territories.csv: one row per territory of every run with its population, economy and development at month 0, at their lowest month-end and at the end, members, communities at the start and end, founded and dissolved, and firms open, opened and closed, also over the first shock (MODEL.md, section 8); observation only: the runs are the same with it or without");
    b.push("output.outcomes".into(), Kind::List, Value::List(Vec::new()), "outcome names", "", "the outcome columns kept in runs.csv, summary.csv and differences.csv (MODEL.md, section 8), in runs.csv's order whatever the list's; a crisis outcome keeps its <outcome>_excess twin, and an _excess name alone keeps only the excess; point, replicate, seed and the swept keys are always kept; empty (the default): every outcome".into());
    b.flag("output.summary", true, "", "write summary.csv (per point and outcome: n, mean, sd, interval, quantiles)");
    b.flag("output.survival", true, "", "write survival.csv (Kaplan-Meier survival of communities by type, per point); without it the report has no survival figures");
    b.flag("output.points", true, "", "write points.csv: one row per design point with every resolved parameter of the point (every key of `commsim params` in its order but the six output file choices: outcomes, summary, survival, points, compress and format; then each shock's fields), to join with runs.csv on point");
    b.flag("output.compress", false, "", "gzip every CSV the run writes (runs.csv.gz, summary.csv.gz, ...): concatenated gzip members, which gzip, zcat, pandas, R and commsim's own report and analyze read; only with output.format = \"csv\" (Parquet files are compressed inside)");
    b.push("output.format".into(), Kind::Text, Value::Text("csv".into()), "text", "", "the format of every table the run writes: \"csv\" (CSV text: runs.csv, summary.csv, ...; gzipped with output.compress) or \"parquet\" (Apache Parquet: runs.parquet, summary.parquet, ..., the same columns in the same order, typed as declared whatever the values: counts, months, point and replicate as INT64, the seed as UINT_64, reals as DOUBLE, flags as BOOLEAN, text as UTF-8 strings, empty cells as nulls; Snappy-compressed, so output.compress stays false); pandas.read_parquet, R's arrow and commsim's own report and analyze read them".into());

    b.specs
}
