//! Injected failures: errors, delays and lost responses for chosen Bot API
//! calls.

use serde_json::json;

use crate::api::ApiError;
use crate::model::Fault;

/// What the faults decided for one call.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    pub delay_ms: u64,
    pub error: Option<ApiError>,
    pub drop_response: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Faults {
    rules: Vec<Fault>,
}

impl Faults {
    /// Checks and stores a fault; errors, drops and delays are exclusive.
    pub(crate) fn add(&mut self, mut fault: Fault) -> Result<(), String> {
        let kinds = usize::from(fault.error_code.is_some())
            + usize::from(fault.delay_ms.is_some())
            + usize::from(fault.drop_response);
        if kinds != 1 {
            return Err("a fault needs exactly one of error_code, delay_ms, drop_response".into());
        }
        if let Some(code) = fault.error_code
            && !(400..=599).contains(&code)
        {
            return Err("error_code must be 400..=599".into());
        }
        if fault.delay_ms.is_none() && fault.times.is_none() {
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
    /// first matching error or drop.
    pub(crate) fn take(&mut self, method: &str, chat_id: Option<i64>) -> FaultPlan {
        let mut plan = FaultPlan::default();
        let mut delay_taken = false;
        let mut outcome_taken = false;
        for rule in &mut self.rules {
            let method_matches = rule
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method));
            let chat_matches = rule.chat_id.is_none() || rule.chat_id == chat_id;
            if !method_matches || !chat_matches {
                continue;
            }
            let is_delay = rule.delay_ms.is_some();
            if (is_delay && delay_taken) || (!is_delay && outcome_taken) {
                continue;
            }
            if let Some(ms) = rule.delay_ms {
                plan.delay_ms = ms;
                delay_taken = true;
            } else if rule.drop_response {
                plan.drop_response = true;
                outcome_taken = true;
            } else if let Some(code) = rule.error_code {
                plan.error = Some(error_for(code, rule.description.clone(), rule.retry_after));
                outcome_taken = true;
            }
            if let Some(times) = rule.times.as_mut() {
                *times = times.saturating_sub(1);
            }
        }
        self.rules.retain(|r| r.times != Some(0));
        plan
    }
}

fn error_for(code: u16, description: Option<String>, retry_after: Option<u32>) -> ApiError {
    let retry_after = retry_after.or((code == 429).then_some(1));
    let description = description.unwrap_or_else(|| match (code, retry_after) {
        (429, Some(n)) => format!("Too Many Requests: retry after {n}"),
        (400, _) => "Bad Request".into(),
        (401, _) => "Unauthorized".into(),
        (403, _) => "Forbidden".into(),
        (404, _) => "Not Found".into(),
        (409, _) => "Conflict".into(),
        (500, _) => "Internal Server Error".into(),
        (502, _) => "Bad Gateway".into(),
        (503, _) => "Service Unavailable".into(),
        (504, _) => "Gateway Timeout".into(),
        _ => format!("Error {code}"),
    });
    ApiError {
        code,
        description,
        parameters: retry_after.map(|n| json!({ "retry_after": n })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_fault_fires_the_given_number_of_times() {
        let mut faults = Faults::default();
        faults
            .add(Fault::error("sendMessage", 500).times(2))
            .unwrap();
        assert!(faults.take("sendmessage", Some(1)).error.is_some());
        assert!(faults.take("editMessageText", Some(1)).error.is_none());
        assert!(faults.take("sendMessage", None).error.is_some());
        assert!(faults.take("sendMessage", None).error.is_none());
    }

    #[test]
    fn flood_faults_carry_retry_after() {
        let mut faults = Faults::default();
        faults.add(Fault::flood("sendMessage", 7).chat(5)).unwrap();
        assert!(faults.take("sendMessage", Some(6)).error.is_none());
        let err = faults.take("sendMessage", Some(5)).error.unwrap();
        assert_eq!(err.description, "Too Many Requests: retry after 7");
        assert_eq!(err.parameters, Some(json!({"retry_after": 7})));
    }

    #[test]
    fn delays_last_until_cleared() {
        let mut faults = Faults::default();
        faults.add(Fault::delay(30)).unwrap();
        assert_eq!(faults.take("getMe", None).delay_ms, 30);
        assert_eq!(faults.take("sendMessage", Some(1)).delay_ms, 30);
        faults.clear();
        assert_eq!(faults.take("getMe", None).delay_ms, 0);
    }
}
