//! The firms of the territorial economy (K1, K2b, K4): `economy.*`.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Economy {
    /// Firms per inhabitant at business density 1.
    pub firm_density: f64,
    /// Inhabitants employed by a firm of size 1.
    pub firm_jobs: f64,
    /// Share of a firm's orders placed by other firms at business density 1.
    pub b2b: f64,
    /// Months of normal costs a new firm holds in cash.
    pub reserve: f64,
    /// Months of normal costs a firm can owe before it may close.
    pub credit_limit: f64,
    /// Monthly probability that a firm beyond its credit limit closes.
    pub closure_rate: f64,
    /// Yearly exit of solvent firms, and entry at normal demand.
    pub turnover: f64,
    /// Monthly share of receivables and mutual credit repaid when payment is normal.
    pub repayment: f64,
    /// Cut of residents' spending per unit of restriction on gathering.
    pub restriction_spending: f64,
}
