//! The network of ties (C2, F3): typed edges from each community to the other communities of its
//! territory and to its stakeholders (its administration, firms of the territory, outside
//! organisations, grant programmes). This module owns the storage and its bookkeeping (symmetry
//! of community-community edges, removal with a dissolved community or a closed firm, renumbering
//! at month 0) and the measures read from it (tie diversity, counts by kind). The mechanisms that
//! make, renew and fade edges are in `ties` (horizontal, business, outside, administration),
//! `administration` (a new head), `grants` (programmes) and `formation` (founding).
//!
//! Storage: each community holds its edges in a small vector ([`Ties`]), in the order they were
//! made; an edge between two communities is held by both, with the same strength. Degrees are a
//! handful, so lookups are short linear scans, and every iteration is in index order: the
//! network adds no hashing and no order that could depend on the thread count.

use super::state::{Community, Territory, NONE};

/// The five community types, then local business and outside organisations: the categories of
/// *horizontal* ties, over which tie diversity is computed (F3). Edges to the administration and
/// to grant programmes are vertical and do not count in it.
pub const HORIZONTAL: usize = 7;
/// Horizontal category of edges to firms of the territory.
pub const BUSINESS: usize = 5;
/// Horizontal category of edges to outside organisations.
pub const OUTSIDE: usize = 6;

/// Kinds of edges, as counted in the outcomes (`ties_<kind>`).
pub const KINDS: [&str; 5] = [
    "community",
    "firm",
    "outside",
    "administration",
    "programme",
];
pub const KIND_COMMUNITY: usize = 0;
pub const KIND_FIRM: usize = 1;
pub const KIND_OUTSIDE: usize = 2;
pub const KIND_ADMINISTRATION: usize = 3;
pub const KIND_PROGRAMME: usize = 4;

/// An edge's strength below which it is dropped: a tie of strength 1 that nothing renews lasts
/// ln(EDGE_FLOOR) / ln(1 - `ties.fade`) months (69 at the default fade of 0.01).
pub const EDGE_FLOOR: f64 = 0.5;

/// The other end of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partner {
    /// Another community of the territory, by index, with its type (which never changes).
    Community { index: u32, kind: u8 },
    /// A firm of the territory, by index into `Territory::firms`.
    Firm(u32),
    /// An outside organisation (a state body, a foundation, an organisation from elsewhere),
    /// numbered in the order the territory's communities met them.
    Outside(u32),
    /// The territory's administration.
    Administration,
    /// A grant programme, by index into `Config::programmes`.
    Programme(u32),
}

impl Partner {
    /// The kind of edge, an index into [`KINDS`].
    pub fn kind(&self) -> usize {
        match self {
            Partner::Community { .. } => KIND_COMMUNITY,
            Partner::Firm(_) => KIND_FIRM,
            Partner::Outside(_) => KIND_OUTSIDE,
            Partner::Administration => KIND_ADMINISTRATION,
            Partner::Programme(_) => KIND_PROGRAMME,
        }
    }

    /// The horizontal category (a community's type, [`BUSINESS`], [`OUTSIDE`]); `None` for a
    /// vertical edge.
    pub fn category(&self) -> Option<usize> {
        match self {
            Partner::Community { kind, .. } => Some(usize::from(*kind)),
            Partner::Firm(_) => Some(BUSINESS),
            Partner::Outside(_) => Some(OUTSIDE),
            Partner::Administration | Partner::Programme(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    pub partner: Partner,
    /// 1 when made or renewed, more when reinforced; fades each month (`ties.fade`).
    pub strength: f64,
}

/// The edges of one community, in the order they were made, at most one per partner.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ties {
    edges: Vec<Edge>,
}

impl Ties {
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    pub fn len(&self) -> usize {
        self.edges.len()
    }

    fn position(&self, partner: Partner) -> Option<usize> {
        self.edges.iter().position(|e| e.partner == partner)
    }

    pub fn has(&self, partner: Partner) -> bool {
        self.position(partner).is_some()
    }

    pub fn strength(&self, partner: Partner) -> Option<f64> {
        self.position(partner).map(|i| self.edges[i].strength)
    }

    /// Adds `amount` to the edge to `partner`, making it if there is none; true if it is new.
    pub fn strengthen(&mut self, partner: Partner, amount: f64) -> bool {
        match self.position(partner) {
            Some(i) => {
                self.edges[i].strength += amount;
                false
            }
            None => {
                self.edges.push(Edge {
                    partner,
                    strength: amount,
                });
                true
            }
        }
    }

    /// Renews the edge to `partner` to at least strength 1, making it if there is none.
    pub fn renew(&mut self, partner: Partner) {
        match self.position(partner) {
            Some(i) => self.edges[i].strength = self.edges[i].strength.max(1.0),
            None => self.edges.push(Edge {
                partner,
                strength: 1.0,
            }),
        }
    }

    /// Removes the edge to `partner`; true if there was one.
    pub fn remove(&mut self, partner: Partner) -> bool {
        match self.position(partner) {
            Some(i) => {
                self.edges.remove(i);
                true
            }
            None => false,
        }
    }

    /// Multiplies the strength of every edge of `kind` by `factor` and drops those below
    /// [`EDGE_FLOOR`]. Not for community-community edges, whose two ends must change together.
    pub fn weaken(&mut self, kind: usize, factor: f64) {
        debug_assert_ne!(kind, KIND_COMMUNITY);
        for e in self.edges.iter_mut().filter(|e| e.partner.kind() == kind) {
            e.strength *= factor;
        }
        self.edges
            .retain(|e| e.partner.kind() != kind || e.strength >= EDGE_FLOOR);
    }

    /// Summed strength of the edges of each horizontal category.
    pub fn weights(&self) -> [f64; HORIZONTAL] {
        let mut w = [0.0; HORIZONTAL];
        for e in &self.edges {
            if let Some(k) = e.partner.category() {
                w[k] += e.strength;
            }
        }
        w
    }

    /// The share of each horizontal category in the horizontal edges' strength; `None` without
    /// horizontal edges.
    pub fn shares(&self) -> Option<[f64; HORIZONTAL]> {
        let w = self.weights();
        let total: f64 = w.iter().sum();
        (total > 0.0).then(|| w.map(|x| x / total))
    }

    /// Tie diversity D = 1 - sum_k s_k^2 over the horizontal categories, the shares s_k weighted
    /// by strength (Simpson's index; F3); 0 without horizontal edges.
    pub fn diversity(&self) -> f64 {
        self.shares()
            .map_or(0.0, |s| 1.0 - s.iter().map(|x| x * x).sum::<f64>())
    }

    /// Number of edges of each kind, in [`KINDS`] order.
    pub fn counts(&self) -> [usize; 5] {
        let mut n = [0; 5];
        for e in &self.edges {
            n[e.partner.kind()] += 1;
        }
        n
    }

    /// The community neighbours, with the strength of the edge to each.
    pub fn neighbours(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.edges.iter().filter_map(|e| match e.partner {
            Partner::Community { index, .. } => Some((index as usize, e.strength)),
            _ => None,
        })
    }
}

/// The partner that community `c` is to another community.
pub fn community_partner(territory: &Territory, c: usize) -> Partner {
    Partner::Community {
        index: c as u32,
        kind: territory.communities[c].kind as u8,
    }
}

/// Strengthens the edge between communities `a` and `b` (`a` != `b`) by `amount` at both ends.
pub fn link(territory: &mut Territory, a: usize, b: usize, amount: f64) {
    debug_assert_ne!(a, b);
    let (pa, pb) = (
        community_partner(territory, a),
        community_partner(territory, b),
    );
    territory.communities[a].ties.strengthen(pb, amount);
    territory.communities[b].ties.strengthen(pa, amount);
}

/// Strengthens community `c`'s edge to firm `f` by `amount`, keeping the firm's count of
/// partners.
pub fn tie_firm(territory: &mut Territory, c: usize, f: usize, amount: f64) {
    debug_assert!(territory.firms[f].is_open());
    if territory.communities[c]
        .ties
        .strengthen(Partner::Firm(f as u32), amount)
    {
        territory.firms[f].partners += 1;
    }
}

/// Fades every edge of every living community by `retention` and drops those below
/// [`EDGE_FLOOR`]. Both ends of a community-community edge fade alike, so they drop together.
pub fn fade(territory: &mut Territory, retention: f64) {
    let Territory {
        communities, firms, ..
    } = territory;
    for com in communities.iter_mut().filter(|c| c.alive) {
        for e in com.ties.edges.iter_mut() {
            e.strength *= retention;
        }
        com.ties.edges.retain(|e| {
            let keep = e.strength >= EDGE_FLOOR;
            if let (false, Partner::Firm(f)) = (keep, e.partner) {
                firms[f as usize].partners -= 1;
            }
            keep
        });
    }
}

/// Removes every edge of community `c` (dissolved) and the edges its neighbours have to it.
pub fn detach(territory: &mut Territory, c: usize) {
    let ties = std::mem::take(&mut territory.communities[c].ties);
    let me = community_partner(territory, c);
    for e in ties.edges() {
        match e.partner {
            Partner::Community { index, .. } => {
                territory.communities[index as usize].ties.remove(me);
            }
            Partner::Firm(f) => territory.firms[f as usize].partners -= 1,
            _ => {}
        }
    }
}

/// Removes every community's edge to firm `f` (closed; `Territory::close_firm`, which visits
/// the communities only if the firm has partners).
pub fn drop_firm(communities: &mut [Community], f: usize) {
    let firm = Partner::Firm(f as u32);
    for com in communities.iter_mut().filter(|c| !c.ties.is_empty()) {
        com.ties.remove(firm);
    }
}

/// Renumbers the partners when month 0 drops the dissolved communities and the closed firms:
/// `communities[old]` is a community's new index ([`NONE`] for a dropped one), and firms keep
/// their order among the open ones. Dropped communities and closed firms have no edges left.
pub fn renumber(territory: &mut Territory, communities: &[u32]) {
    let mut firms = vec![NONE; territory.firms.len()];
    let mut kept = 0u32;
    for (f, firm) in territory.firms.iter().enumerate() {
        if firm.is_open() {
            firms[f] = kept;
            kept += 1;
        }
    }
    for com in territory.communities.iter_mut() {
        for e in com.ties.edges.iter_mut() {
            match &mut e.partner {
                Partner::Community { index, .. } => *index = communities[*index as usize],
                Partner::Firm(f) => *f = firms[*f as usize],
                _ => {}
            }
            debug_assert!(!matches!(
                e.partner,
                Partner::Community { index: NONE, .. } | Partner::Firm(NONE)
            ));
        }
    }
}

/// The network's invariants, for `Territory::check_invariants`: only living communities have
/// edges; no edge to itself, at most one per partner; strengths finite and at least the floor;
/// every community-community edge held by both ends with one strength and the right types; every
/// firm edge to an open firm, whose count of partners is right.
pub fn check(territory: &Territory) -> Result<(), String> {
    let n = territory.communities.len();
    let mut partners = vec![0u32; territory.firms.len()];
    for (c, com) in territory.communities.iter().enumerate() {
        let edges = com.ties.edges();
        if !com.alive && !edges.is_empty() {
            return Err(format!("dissolved community {c} has {} edges", edges.len()));
        }
        for (i, e) in edges.iter().enumerate() {
            if !e.strength.is_finite() || e.strength < EDGE_FLOOR * (1.0 - 1e-12) {
                return Err(format!(
                    "community {c} has an edge of strength {}",
                    e.strength
                ));
            }
            if edges[..i].iter().any(|o| o.partner == e.partner) {
                return Err(format!("community {c} has two edges to {:?}", e.partner));
            }
            match e.partner {
                Partner::Community { index, kind } => {
                    let m = index as usize;
                    if m >= n || m == c {
                        return Err(format!("community {c} has an edge to community {m}"));
                    }
                    let other = &territory.communities[m];
                    if usize::from(kind) != other.kind {
                        return Err(format!("community {c}'s edge to {m} has the wrong type"));
                    }
                    let back = other.ties.strength(community_partner(territory, c));
                    if back != Some(e.strength) {
                        return Err(format!(
                            "edge {c}-{m} has strength {} at {c} and {back:?} at {m}",
                            e.strength
                        ));
                    }
                }
                Partner::Firm(f) => {
                    if territory.firms.get(f as usize).is_none_or(|x| !x.is_open()) {
                        return Err(format!("community {c} has an edge to closed firm {f}"));
                    }
                    partners[f as usize] += 1;
                }
                Partner::Outside(_) | Partner::Administration | Partner::Programme(_) => {}
            }
        }
    }
    for (f, firm) in territory.firms.iter().enumerate() {
        if firm.partners != partners[f] {
            return Err(format!(
                "firm {f} counts {} partners, communities say {}",
                firm.partners, partners[f]
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Config;
    use crate::model::region::Region;

    /// One small town (about ten communities, a few hundred firms), stepped `months` months.
    fn town(sets: &[&str], months: u32) -> (Config, Region) {
        crate::model::region::test_town(sets, 5, months)
    }

    fn alive(t: &Territory) -> Vec<usize> {
        (0..t.communities.len())
            .filter(|&c| t.communities[c].alive)
            .collect()
    }

    #[test]
    fn diversity_is_computed_from_the_horizontal_edges() {
        let mut ties = Ties::default();
        assert_eq!(ties.diversity(), 0.0);
        ties.strengthen(Partner::Community { index: 1, kind: 0 }, 1.0);
        ties.strengthen(Partner::Community { index: 2, kind: 0 }, 1.0);
        ties.strengthen(Partner::Firm(7), 1.0);
        // Vertical edges do not count in the diversity of horizontal ties.
        ties.renew(Partner::Administration);
        ties.strengthen(Partner::Programme(0), 3.0);
        // Shares 2/3 (civic) and 1/3 (business): D = 1 - 4/9 - 1/9.
        assert!((ties.diversity() - 4.0 / 9.0).abs() < 1e-12);
        assert_eq!(ties.counts(), [2, 1, 0, 1, 1]);
        // Strength weighs the shares: a stronger business tie evens them, D = 1/2.
        ties.strengthen(Partner::Firm(7), 1.0);
        assert!((ties.diversity() - 0.5).abs() < 1e-12);
        assert_eq!(
            ties.len(),
            5,
            "a second tie to one partner strengthens the first"
        );
        // Seven categories with equal weight: the largest diversity, 6/7.
        let mut even = Ties::default();
        for k in 0..5u8 {
            even.strengthen(
                Partner::Community {
                    index: u32::from(k),
                    kind: k,
                },
                1.0,
            );
        }
        even.strengthen(Partner::Firm(0), 1.0);
        even.strengthen(Partner::Outside(0), 1.0);
        assert!((even.diversity() - 6.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn a_dissolved_community_loses_its_edges_and_its_neighbours_their_edges_to_it() {
        let (_, mut region) = town(&[], 3);
        let t = &mut region.territories[0];
        let living = alive(t);
        assert!(living.len() >= 3, "the test needs three communities");
        let (a, b, c) = (living[0], living[1], living[2]);
        link(t, a, b, 1.0);
        link(t, a, c, 2.0);
        link(t, b, c, 1.0);
        let firm = (0..t.firms.len()).find(|&f| t.firms[f].is_open()).unwrap();
        tie_firm(t, a, firm, 1.0);
        t.check_invariants().unwrap();
        let to_a = community_partner(t, a);
        assert!(t.communities[b].ties.has(to_a) && t.communities[c].ties.has(to_a));
        crate::model::dissolution::dissolve(t, &[a], 3);
        assert!(t.communities[a].ties.is_empty());
        assert!(!t.communities[b].ties.has(to_a) && !t.communities[c].ties.has(to_a));
        assert!(
            t.communities[b].ties.has(community_partner(t, c)),
            "other ties stay"
        );
        t.check_invariants().unwrap();
    }

    #[test]
    fn a_closed_firm_loses_its_edges() {
        let (_, mut region) = town(&[], 3);
        let t = &mut region.territories[0];
        let living = alive(t);
        let firm = (0..t.firms.len()).find(|&f| t.firms[f].is_open()).unwrap();
        let partner = Partner::Firm(firm as u32);
        for &c in &living[..2] {
            tie_firm(t, c, firm, 1.0);
        }
        assert_eq!(t.firms[firm].partners, 2);
        t.check_invariants().unwrap();
        t.close_firm(firm, 3);
        assert!(living.iter().all(|&c| !t.communities[c].ties.has(partner)));
        t.check_invariants().unwrap();
    }

    #[test]
    fn edges_fade_and_drop_at_the_floor_at_both_ends_together() {
        let (_, mut region) = town(&[], 0);
        let t = &mut region.territories[0];
        let living = alive(t);
        let (a, b) = (living[0], living[1]);
        for c in 0..t.communities.len() {
            detach(t, c);
        }
        link(t, a, b, 1.0);
        // Strength 1 at a retention of 0.9 stays above 0.5 for 6 months (0.9^6 = 0.53) and
        // drops in the 7th (0.48).
        for month in 1..=7 {
            fade(t, 0.9);
            t.check_invariants().unwrap();
            let left = t.communities[a].ties.len();
            assert_eq!(left, usize::from(month < 7), "month {month}");
            assert_eq!(t.communities[b].ties.len(), left);
        }
    }

    #[test]
    fn the_network_stays_consistent_through_the_run_and_month_0() {
        let (config, mut region) = town(&["run.burn_in=12"], 0);
        for month in 0..36 {
            if month == 12 {
                region.start_observation();
                for t in &region.territories {
                    t.check_invariants().unwrap();
                }
            }
            region.step(&config);
            for t in &region.territories {
                t.check_invariants()
                    .unwrap_or_else(|e| panic!("month {month}: {e}"));
            }
        }
        let t = &region.territories[0];
        let counts = alive(t).iter().fold([0; 5], |mut n, &c| {
            for (k, x) in t.communities[c].ties.counts().iter().enumerate() {
                n[k] += x;
            }
            n
        });
        assert!(
            counts.iter().all(|&n| n > 0),
            "every kind of edge occurs: {counts:?}"
        );
    }

    #[test]
    fn a_higher_propensity_to_cross_kinds_makes_more_diverse_ties() {
        let diversity = |phi: &str| {
            let (_, region) = town(&[phi], 24);
            let t = &region.territories[0];
            let living = alive(t);
            living
                .iter()
                .map(|&c| t.communities[c].tie_diversity())
                .sum::<f64>()
                / living.len() as f64
        };
        let (low, high) = (
            diversity("community.tie_diversity=0.1"),
            diversity("community.tie_diversity=0.9"),
        );
        assert!(high > low + 0.1, "diversity {low} at 0.1, {high} at 0.9");
    }
}
