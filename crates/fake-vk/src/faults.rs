//! Injected failures: VK errors, delays, lost responses and long-poll
//! `failed` answers, for chosen calls.

use crate::api::{VkError, standard_message};
use crate::model::Fault;

/// The method name faults use for the long-poll endpoint.
pub(crate) const LONGPOLL: &str = "longpoll";

/// What the faults decided for one call.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    pub delay_ms: u64,
    pub error: Option<VkError>,
    pub lose_response: bool,
    pub longpoll_failed: Option<u8>,
}

#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<Fault>,
}

impl Fault {
    fn is_delay(&self) -> bool {
        self.delay_ms.is_some()
    }

    /// Whether the rule is about the call: long-poll failures and rules
    /// naming `longpoll` only touch the long poll; other rules only API
    /// methods.
    fn matches(&self, method: &str, peer_id: Option<i64>) -> bool {
        let for_longpoll = self.longpoll_failed.is_some()
            || self
                .method
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(LONGPOLL));
        if for_longpoll != (method == LONGPOLL) {
            return false;
        }
        let method_matches = self.longpoll_failed.is_some()
            || self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method));
        let peer_matches = self.peer_id.is_none() || self.peer_id == peer_id;
        method_matches && peer_matches
    }
}

impl Faults {
    /// Checks and stores a fault.
    pub(crate) fn add(&mut self, mut fault: Fault) -> Result<(), String> {
        let kinds = usize::from(fault.error_code.is_some())
            + usize::from(fault.delay_ms.is_some())
            + usize::from(fault.lose_response)
            + usize::from(fault.longpoll_failed.is_some());
        if kinds != 1 {
            return Err(
                "a fault needs exactly one of error_code, delay_ms, lose_response, longpoll_failed"
                    .into(),
            );
        }
        if let Some(code) = fault.error_code
            && standard_message(code).is_none()
            && fault.error_msg.is_none()
        {
            return Err(format!(
                "error_code {code} has no standard message; give error_msg"
            ));
        }
        if let Some(failed) = fault.longpoll_failed
            && !(1..=3).contains(&failed)
        {
            return Err("longpoll_failed must be 1, 2 or 3".into());
        }
        if !fault.is_delay() && fault.times.is_none() {
            fault.times = Some(1);
        }
        if fault.times == Some(0) {
            return Ok(());
        }
        self.rules.push(fault);
        Ok(())
    }

    pub(crate) fn clear(&mut self) {
        self.rules.clear();
    }

    /// Consumes the faults matching a call: the first matching delay and the
    /// first matching outcome (error, loss or long-poll failure).
    pub(crate) fn take(&mut self, method: &str, peer_id: Option<i64>) -> FaultPlan {
        let mut plan = FaultPlan::default();
        let mut delay_taken = false;
        let mut outcome_taken = false;
        for rule in &mut self.rules {
            if !rule.matches(method, peer_id) {
                continue;
            }
            if (rule.is_delay() && delay_taken) || (!rule.is_delay() && outcome_taken) {
                continue;
            }
            if let Some(ms) = rule.delay_ms {
                plan.delay_ms = ms;
                delay_taken = true;
            } else {
                outcome_taken = true;
                if rule.lose_response {
                    plan.lose_response = true;
                } else if let Some(failed) = rule.longpoll_failed {
                    plan.longpoll_failed = Some(failed);
                } else if let Some(code) = rule.error_code {
                    let mut error = VkError::new(code);
                    if let Some(msg) = &rule.error_msg {
                        error.msg.clone_from(msg);
                    }
                    plan.error = Some(error);
                }
            }
            if let Some(times) = rule.times.as_mut() {
                *times = times.saturating_sub(1);
            }
        }
        self.rules.retain(|r| r.times != Some(0));
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_fires_the_given_number_of_times_for_its_method() {
        let mut faults = Faults::default();
        faults
            .add(Fault::internal_error().method("messages.send").times(2))
            .unwrap();
        assert!(faults.take("messages.edit", Some(1)).error.is_none());
        assert_eq!(
            faults.take("messages.send", Some(1)).error.unwrap().code,
            10
        );
        assert!(faults.take("messages.send", None).error.is_some());
        assert!(faults.take("messages.send", None).error.is_none());
    }

    #[test]
    fn a_fault_can_target_one_peer() {
        let mut faults = Faults::default();
        faults.add(Fault::privacy().peer(5)).unwrap();
        assert!(faults.take("messages.send", Some(6)).error.is_none());
        let error = faults.take("messages.send", Some(5)).error.unwrap();
        assert_eq!(
            error.msg,
            "Can't send messages to this user due to their privacy settings"
        );
    }

    #[test]
    fn longpoll_faults_touch_only_the_long_poll() {
        let mut faults = Faults::default();
        faults.add(Fault::longpoll_failed(2)).unwrap();
        faults.add(Fault::delay(5)).unwrap();
        let api = faults.take("messages.send", None);
        assert_eq!((api.longpoll_failed, api.delay_ms), (None, 5));
        let poll = faults.take(LONGPOLL, None);
        assert_eq!((poll.longpoll_failed, poll.delay_ms), (Some(2), 0));
        assert_eq!(faults.take(LONGPOLL, None).longpoll_failed, None);
    }

    #[test]
    fn bad_faults_are_refused() {
        let mut faults = Faults::default();
        assert!(faults.add(Fault::default()).is_err());
        assert!(faults.add(Fault::error(123_456)).is_err());
        assert!(faults.add(Fault::error(123_456).message("custom")).is_ok());
        assert!(faults.add(Fault::longpoll_failed(4)).is_err());
        let both = Fault {
            delay_ms: Some(1),
            ..Fault::flood_control()
        };
        assert!(faults.add(both).is_err());
    }
}
