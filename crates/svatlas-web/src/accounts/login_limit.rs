//! How often one client may try to sign in, held in memory.
//!
//! Two budgets per period, by default a minute (governor's GCRA: the full budget at once, then
//! one attempt back every `period / n`): [`PER_ACCOUNT`] attempts for one client address and
//! one e-mail, and [`PER_CLIENT`] for one client address whatever the e-mail. The account lockout in the store
//! stops guessing one password from many addresses; this stops one address from trying many
//! accounts, and bounds the argon2 work a single client can cause.
//!
//! The budgets live in this server process only: several servers behind a load balancer each
//! keep their own, which still bounds the rate per server.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Sign-in attempts per minute for one client address and one e-mail address.
pub const PER_ACCOUNT: u32 = 10;
/// Sign-in attempts per minute for one client address.
pub const PER_CLIENT: u32 = 30;
/// How many sign-in attempts are allowed, per what period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Attempts per period for one client address and one e-mail address.
    pub per_account: u32,
    /// Attempts per period for one client address.
    pub per_client: u32,
    /// The period.
    pub period: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_account: PER_ACCOUNT,
            per_client: PER_CLIENT,
            period: Duration::from_secs(60),
        }
    }
}

/// Keys kept before stale ones (whose budget is full again) are dropped, to bound memory
/// when someone tries very many addresses.
const PRUNE_ABOVE: usize = 10_000;

/// The sign-in budgets of every client.
pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_client: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(LoginLimits::default())
    }
}

impl LoginLimiter {
    /// A limiter with these budgets (each at least 1 attempt, the period at least 1 ms).
    pub fn new(limits: LoginLimits) -> Self {
        let quota = |n: u32| {
            let n = NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
            let every = (limits.period / n.get()).max(Duration::from_millis(1));
            Quota::with_period(every)
                .map(|q| q.allow_burst(n))
                .unwrap_or_else(|| Quota::per_second(n))
        };
        LoginLimiter {
            per_account: RateLimiter::keyed(quota(limits.per_account)),
            per_client: RateLimiter::keyed(quota(limits.per_client)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one sign-in attempt by `client` (its address, when known) for `email`. `Err`
    /// holds how long to wait before the next attempt is accepted.
    pub fn check(&self, client: Option<IpAddr>, email: &str) -> Result<(), Duration> {
        // Without an address (the in-process test router, or a server not given one) every
        // client shares one budget, which only makes the limit stricter.
        let client = client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        let email: String = email.trim().to_lowercase().chars().take(254).collect();
        self.prune();
        let now = self.clock.now();
        self.per_client
            .check_key(&client)
            .map_err(|refused| refused.wait_time_from(now))?;
        self.per_account
            .check_key(&format!("{client} {email}"))
            .map_err(|refused| refused.wait_time_from(now))
    }

    fn prune(&self) {
        for limiter in [&self.per_account, &self.per_client] {
            if limiter.len() > PRUNE_ABOVE {
                limiter.retain_recent();
                limiter.shrink_to_fit();
            }
        }
    }
}

impl std::fmt::Debug for LoginLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginLimiter")
            .field("keys", &(self.per_account.len() + self.per_client.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_account_gets_its_budget_then_waits() {
        let limiter = LoginLimiter::new(LoginLimits {
            per_account: 3,
            per_client: 100,
            period: Duration::from_secs(60),
        });
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.check(Some(ip), "ada@example.org").is_ok());
        }
        let wait = limiter.check(Some(ip), " ADA@example.org").unwrap_err();
        // One attempt comes back every 20 seconds.
        assert!(
            wait > Duration::from_secs(15) && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        // Another e-mail, or another client, has its own budget.
        assert!(limiter.check(Some(ip), "bob@example.org").is_ok());
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.check(Some(other), "ada@example.org").is_ok());
    }

    #[test]
    fn one_client_is_limited_across_accounts() {
        let limiter = LoginLimiter::new(LoginLimits {
            per_account: 10,
            per_client: 4,
            period: Duration::from_secs(3600),
        });
        let ip: IpAddr = "2001:db8::1".parse().unwrap();
        for n in 0..4 {
            assert!(
                limiter
                    .check(Some(ip), &format!("user{n}@example.org"))
                    .is_ok()
            );
        }
        assert!(limiter.check(Some(ip), "user9@example.org").is_err());
        assert!(limiter.check(None, "user9@example.org").is_ok());
    }
}
