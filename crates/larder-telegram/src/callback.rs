//! Every button press is answered, within a deadline, on every path: if
//! handling is slow the press is answered empty at the deadline, so the
//! person's client never spins.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use larder_ui::Toast;
use teloxide_core::Bot;
use teloxide_core::payloads::AnswerCallbackQuerySetters;
use teloxide_core::prelude::Requester;
use teloxide_core::types::CallbackQueryId;

use crate::metrics::Metrics;

pub struct PendingAnswer {
    slot: Arc<Mutex<Option<CallbackQueryId>>>,
    bot: Bot,
    metrics: Arc<Metrics>,
}

impl PendingAnswer {
    pub fn start(
        bot: Bot,
        id: CallbackQueryId,
        deadline: Duration,
        metrics: Arc<Metrics>,
    ) -> PendingAnswer {
        let slot = Arc::new(Mutex::new(Some(id)));
        let (late_slot, late_bot, late_metrics) = (slot.clone(), bot.clone(), metrics.clone());
        tokio::spawn(async move {
            tokio::time::sleep(deadline).await;
            let id = take(&late_slot);
            if let Some(id) = id {
                tracing::debug!("press answered at the deadline");
                answer(&late_bot, id, None, &late_metrics).await;
            }
        });
        PendingAnswer { slot, bot, metrics }
    }

    /// Answers with the toast, unless the deadline already answered.
    pub async fn finish(self, toast: Option<&Toast>) {
        let id = take(&self.slot);
        if let Some(id) = id {
            answer(&self.bot, id, toast, &self.metrics).await;
        }
    }
}

fn take(slot: &Mutex<Option<CallbackQueryId>>) -> Option<CallbackQueryId> {
    slot.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
}

async fn answer(bot: &Bot, id: CallbackQueryId, toast: Option<&Toast>, metrics: &Metrics) {
    let mut request = bot.answer_callback_query(id);
    if let Some(t) = toast {
        // Telegram shows at most 200 characters.
        request = request
            .text(t.text.chars().take(200).collect::<String>())
            .show_alert(t.alert);
    }
    match request.await {
        Ok(_) => Metrics::inc(&metrics.callbacks_answered_total),
        // An old press (e.g. handled after a restart) can no longer be answered.
        Err(e) => tracing::debug!(error = %e, "press not answered"),
    }
}
