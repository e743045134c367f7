//! Open opportunities: a buyer lists an open tender so that suppliers it has not invited can
//! find it and ask to bid (self-registration); the buyer accepts, which invites the supplier
//! exactly as an invitation does, or declines with a reason.

use serde::{Deserialize, Serialize};

use super::delivery::NOTE_MAX_CHARS;
use crate::calculator::entries::{check_note, check_optional, finish};
use crate::sroi::ValidationErrors;

/// Longest message a supplier sends with its request.
pub const MESSAGE_MAX_CHARS: usize = 2_000;

/// Where a supplier's request to bid is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Sent, awaiting the buyer.
    Requested,
    /// Accepted: the supplier is invited and may bid.
    Accepted,
    /// Declined by the buyer, with its reason.
    Declined,
}

impl RequestStatus {
    /// Id as stored.
    pub const fn id(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
        }
    }

    /// Parses the id.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Requested, Self::Accepted, Self::Declined]
            .into_iter()
            .find(|s| s.id() == text)
    }

    /// Words for people.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Requested => "Awaiting the buyer",
            Self::Accepted => "Accepted: invited to bid",
            Self::Declined => "Declined",
        }
    }
}

/// The buyer's answer to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Invite the supplier.
    Accept,
    /// Turn the request down (a reason is needed).
    Decline,
}

impl Decision {
    /// Parses `accept` or `decline`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "accept" => Some(Self::Accept),
            "decline" => Some(Self::Decline),
            _ => None,
        }
    }

    /// The status a request takes.
    pub const fn status(self) -> RequestStatus {
        match self {
            Self::Accept => RequestStatus::Accepted,
            Self::Decline => RequestStatus::Declined,
        }
    }
}

/// A supplier's message with its request: optional, bounded.
pub fn check_message(message: &str) -> Result<(), ValidationErrors> {
    let mut errors = Vec::new();
    check_optional(&mut errors, "message", message, MESSAGE_MAX_CHARS);
    finish(errors)
}

/// The buyer's note with its decision: a decline says why, so the supplier knows.
pub fn check_decision(decision: Decision, note: &str) -> Result<(), ValidationErrors> {
    check_note(
        decision == Decision::Decline,
        note,
        NOTE_MAX_CHARS,
        "say why the request is declined, so the supplier knows",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_ids() {
        for s in [
            RequestStatus::Requested,
            RequestStatus::Accepted,
            RequestStatus::Declined,
        ] {
            assert_eq!(RequestStatus::parse(s.id()), Some(s));
        }
        assert_eq!(RequestStatus::parse("pending"), None);
        assert_eq!(Decision::parse(" accept "), Some(Decision::Accept));
        assert_eq!(Decision::parse("maybe"), None);
        assert_eq!(Decision::Decline.status(), RequestStatus::Declined);
    }

    #[test]
    fn a_decline_needs_a_reason_and_messages_are_bounded() {
        let e = check_decision(Decision::Decline, "  ").unwrap_err();
        assert_eq!(e.0[0].field, "note");
        assert_eq!(e.0[0].code, "required");
        assert!(check_decision(Decision::Accept, "").is_ok());
        assert!(check_decision(Decision::Decline, "Outside the lot's region").is_ok());
        assert!(check_message("We run accessible minibuses in Devon.").is_ok());
        let long = "x".repeat(MESSAGE_MAX_CHARS + 1);
        assert_eq!(check_message(&long).unwrap_err().0[0].field, "message");
    }
}
