//! Public transparency pages of buyers who opt in: their awarded contracts, the social value
//! committed and the delivery they verified, and local spend shares. No personal data: no
//! people's names, no beneficiary references, no spend lines.

pub mod get;
pub mod list;
