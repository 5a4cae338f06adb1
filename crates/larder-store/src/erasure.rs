//! Erasing a person: their profile, the name, phone, address and notes on
//! their orders (and in those orders' history), their review comments, and
//! every stored message that carried any of it — updates received from
//! their chats and calls sent to them, and updates or calls elsewhere (a
//! staff group's card, a press on it) whose text holds one of their values.
//!
//! Orders stay, anonymised, so statistics and the shop's books still add up.
//! Rows still waiting to be handled or sent are left alone (they are work in
//! flight); everything handled or sent is rewritten to an empty payload.

use larder_core::{CustomerId, OrderId};
use sqlx::AnyConnection;

use crate::{Channel, Result, customers};

/// Whose data to erase: their accounts, chats, orders and the values that
/// identify them in stored text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subject {
    /// Customer rows (an account and the accounts linked to it).
    pub customers: Vec<CustomerId>,
    /// Their private chats: `(channel, user id)`.
    pub chats: Vec<(Channel, i64)>,
    pub orders: Vec<OrderId>,
    /// Personal values as they were stored (phones, e-mails, addresses,
    /// names, notes, comments).
    pub values: Vec<String>,
}

/// The history field an erasure records on each order (its cards are then
/// brought up to date like after any change).
pub const ERASED_FIELD: &str = crate::orders::HistoryField::Erased.as_str();

/// What a payload becomes once erased.
const ERASED_PAYLOAD: &str = "{}";

/// Values shorter than this are not searched for in stored text: a short
/// first name alone would match unrelated messages.
const MIN_NEEDLE: usize = 5;

/// The customer `id` and every account linked with it.
pub async fn of_customer(conn: &mut AnyConnection, id: CustomerId) -> Result<Subject> {
    let me = customers::get(conn, id).await?;
    let primary = me.linked_to.unwrap_or(me.id);
    let accounts: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, channel, user_id FROM customers WHERE id = $1 OR linked_to = $1 ORDER BY id",
    )
    .bind(primary.get())
    .fetch_all(&mut *conn)
    .await?;
    let mut subject = Subject::default();
    for (id, channel, user) in accounts {
        let channel = Channel::parse(&channel)?;
        subject.customers.push(CustomerId::new(id));
        subject.chats.push((channel, user));
        let c = customers::get(conn, CustomerId::new(id)).await?;
        let name = format!(
            "{} {}",
            c.first_name.as_deref().unwrap_or_default(),
            c.last_name.as_deref().unwrap_or_default()
        );
        subject.add_values([Some(name), c.phone, c.email, c.last_address]);
        // Orders placed in the shop, or linked to the Telegram account at the desk.
        let telegram = (channel == Channel::Telegram).then_some(user);
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM orders WHERE customer_id = $1 OR customer_user_id = $2 ORDER BY id",
        )
        .bind(id)
        .bind(telegram)
        .fetch_all(&mut *conn)
        .await?;
        subject.orders.extend(ids.into_iter().map(OrderId::new));
    }
    subject.orders.sort();
    subject.orders.dedup();
    subject.collect_order_values(conn).await?;
    Ok(subject)
}

/// The person an order is for: its shop customer or Telegram account if it
/// has one, otherwise every order written for the same phone (or, without
/// a phone, the same name) — a desk client known only by what staff typed.
pub async fn of_order(conn: &mut AnyConnection, id: OrderId) -> Result<Subject> {
    let (customer, user, name, phone): (Option<i64>, Option<i64>, String, Option<String>) =
        sqlx::query_as(
            "SELECT customer_id, customer_user_id, client_name, phone FROM orders WHERE id = $1",
        )
        .bind(id.get())
        .fetch_one(&mut *conn)
        .await?;
    if let Some(c) = customer {
        return of_customer(conn, CustomerId::new(c)).await;
    }
    if let Some(user) = user {
        let known: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM customers WHERE channel = 'telegram' AND user_id = $1",
        )
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(c) = known {
            return of_customer(conn, CustomerId::new(c)).await;
        }
    }
    let ids: Vec<i64> = match phone.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => {
            sqlx::query_scalar("SELECT id FROM orders WHERE phone = $1 ORDER BY id")
                .bind(p)
                .fetch_all(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_scalar(
                "SELECT id FROM orders WHERE client_name = $1 AND phone IS NULL ORDER BY id",
            )
            .bind(&name)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let mut subject = Subject {
        orders: ids.into_iter().map(OrderId::new).collect(),
        ..Subject::default()
    };
    if let Some(user) = user {
        subject.chats.push((Channel::Telegram, user));
    }
    subject.collect_order_values(conn).await?;
    Ok(subject)
}

impl Subject {
    fn add_values(&mut self, values: impl IntoIterator<Item = Option<String>>) {
        for v in values.into_iter().flatten() {
            let v = v.trim().to_owned();
            if v.chars().count() >= MIN_NEEDLE && v != "—" && !self.values.contains(&v) {
                self.values.push(v);
            }
        }
    }

    /// The names, phones, addresses and notes on the orders, their
    /// history's earlier values and the comments of their reviews.
    async fn collect_order_values(&mut self, conn: &mut AnyConnection) -> Result<()> {
        for id in self.orders.clone() {
            let (name, phone, address, note): (
                String,
                Option<String>,
                Option<String>,
                Option<String>,
            ) = sqlx::query_as(
                "SELECT client_name, phone, address, note FROM orders WHERE id = $1",
            )
            .bind(id.get())
            .fetch_one(&mut *conn)
            .await?;
            self.add_values([Some(name), phone, address, note]);
            let history: Vec<(Option<String>, Option<String>)> = sqlx::query_as(&format!(
                "SELECT old, new FROM order_history WHERE order_id = $1 AND kind = 'field' \
                 AND field IN ({PERSONAL_FIELDS})"
            ))
            .bind(id.get())
            .fetch_all(&mut *conn)
            .await?;
            for (old, new) in history {
                self.add_values([old, new]);
            }
            let comment: Option<Option<String>> =
                sqlx::query_scalar("SELECT comment FROM reviews WHERE order_id = $1")
                    .bind(id.get())
                    .fetch_optional(&mut *conn)
                    .await?;
            self.add_values([comment.flatten()]);
        }
        Ok(())
    }

    /// Every way a value may be written inside stored JSON: as is, with
    /// JSON's escapes, and with non-ASCII letters as `\uXXXX` (as Telegram
    /// sends them).
    fn needles(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in &self.values {
            let quoted = serde_json::to_string(v).unwrap_or_default();
            let json = quoted
                .strip_prefix('"')
                .and_then(|q| q.strip_suffix('"'))
                .unwrap_or(v)
                .to_owned();
            let mut ascii = String::new();
            for ch in json.chars() {
                if ch.is_ascii() {
                    ascii.push(ch);
                } else {
                    let mut units = [0u16; 2];
                    for u in ch.encode_utf16(&mut units) {
                        ascii.push_str(&format!("\\u{u:04x}"));
                    }
                }
            }
            for n in [v.clone(), json, ascii] {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }
}

/// History fields that hold personal values.
const PERSONAL_FIELDS: &str = "'client_name', 'phone', 'address', 'note'";

/// What an erasure changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Erased {
    pub orders: u64,
    pub updates: u64,
    pub calls: u64,
}

/// Whether any of the subject's orders is still going (the kitchen and the
/// courier need the name, phone and address until it ends).
pub async fn has_open_orders(conn: &mut AnyConnection, subject: &Subject) -> Result<bool> {
    for id in &subject.orders {
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM orders WHERE id = $1 AND status IN ('processing', 'completed')",
        )
        .bind(id.get())
        .fetch_one(&mut *conn)
        .await?;
        if open > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Erases the subject's data everywhere (see the module's documentation);
/// `actor` is recorded in each order's history.
pub async fn erase(
    conn: &mut AnyConnection,
    subject: &Subject,
    actor: Option<i64>,
    now: i64,
) -> Result<Erased> {
    let mut erased = Erased::default();
    for id in &subject.customers {
        customers::forget(conn, *id, now).await?;
        sqlx::query("DELETE FROM link_codes WHERE customer_id = $1")
            .bind(id.get())
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM cart_items WHERE customer_id = $1")
            .bind(id.get())
            .execute(&mut *conn)
            .await?;
    }
    for id in &subject.orders {
        let id = id.get();
        let done = sqlx::query(
            "UPDATE orders SET client_name = '—', phone = NULL, address = NULL, note = NULL, \
             version = version + 1, updated_at = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        erased.orders += done.rows_affected();
        sqlx::query(&format!(
            "UPDATE order_history SET old = NULL, new = NULL WHERE order_id = $1 \
             AND kind = 'field' AND field IN ({PERSONAL_FIELDS})"
        ))
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO order_history (order_id, at, actor, kind, field, old, new) \
             VALUES ($1, $2, $3, 'field', $4, NULL, NULL)",
        )
        .bind(id)
        .bind(now)
        .bind(actor)
        .bind(ERASED_FIELD)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE reviews SET comment = NULL, updated_at = $2 WHERE order_id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    for (channel, chat) in &subject.chats {
        let ch = channel.as_str();
        let chat_of = Stored::Chat(ch, *chat);
        erased.updates += blank(conn, "inbox", "error", chat_of).await?;
        erased.calls += blank(conn, "outbox", "last_error", chat_of).await?;
        sqlx::query(
            "DELETE FROM files WHERE id IN (SELECT file_id FROM outbox WHERE channel = $1 \
             AND chat_id = $2 AND file_id IS NOT NULL AND status <> 'pending')",
        )
        .bind(ch)
        .bind(*chat)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE chat_state SET draft = NULL, shown = NULL WHERE channel = $1 AND chat_id = $2",
        )
        .bind(ch)
        .bind(*chat)
        .execute(&mut *conn)
        .await?;
    }
    // Elsewhere (staff groups, staff desks): wherever a value appears.
    for needle in subject.needles() {
        let like = format!("%{}%", escape_like(&needle));
        erased.updates += blank(conn, "inbox", "error", Stored::Holding(&like)).await?;
        erased.calls += blank(conn, "outbox", "last_error", Stored::Holding(&like)).await?;
        // A page of a long screen kept for paging, a staff member's draft.
        sqlx::query(
            "UPDATE chat_state SET \
             shown = CASE WHEN shown LIKE $1 ESCAPE '!' THEN NULL ELSE shown END, \
             draft = CASE WHEN draft LIKE $1 ESCAPE '!' THEN NULL ELSE draft END \
             WHERE shown LIKE $1 ESCAPE '!' OR draft LIKE $1 ESCAPE '!'",
        )
        .bind(&like)
        .execute(&mut *conn)
        .await?;
    }
    Ok(erased)
}

/// Which handled updates or finished calls to blank.
#[derive(Clone, Copy)]
enum Stored<'a> {
    /// Those of a chat: `(channel, chat id)`.
    Chat(&'a str, i64),
    /// Those whose payload matches a `LIKE … ESCAPE '!'` pattern.
    Holding(&'a str),
}

/// Rewrites the payloads (and errors) of `table`'s rows that are no longer
/// waiting to the empty payload; returns how many changed.
async fn blank(
    conn: &mut AnyConnection,
    table: &str,
    error: &str,
    which: Stored<'_>,
) -> Result<u64> {
    let filter = match which {
        Stored::Chat(..) => "channel = $2 AND chat_id = $3",
        Stored::Holding(_) => "payload LIKE $2 ESCAPE '!'",
    };
    let sql = format!(
        "UPDATE {table} SET payload = $1, {error} = NULL \
         WHERE status <> 'pending' AND payload <> $1 AND {filter}"
    );
    let query = sqlx::query(&sql).bind(ERASED_PAYLOAD);
    let query = match which {
        Stored::Chat(channel, chat) => query.bind(channel).bind(chat),
        Stored::Holding(pattern) => query.bind(pattern),
    };
    Ok(query.execute(conn).await?.rows_affected())
}

/// `value` as a literal inside a `LIKE … ESCAPE '!'` pattern.
fn escape_like(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        if matches!(ch, '!' | '%' | '_') {
            out.push('!');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_cover_json_and_telegram_escapes() {
        let s = Subject {
            values: vec!["Анна \"Ш\"".into()],
            ..Subject::default()
        };
        let n = s.needles();
        assert!(n.contains(&"Анна \"Ш\"".to_owned()));
        assert!(n.contains(&"Анна \\\"Ш\\\"".to_owned()));
        assert!(n.contains(&"\\u0410\\u043d\\u043d\\u0430 \\\"\\u0428\\\"".to_owned()));
    }

    #[test]
    fn short_values_are_not_searched_for() {
        let mut s = Subject::default();
        s.add_values([
            Some("Ion".into()),
            Some("—".into()),
            Some(" +37369123456 ".into()),
        ]);
        assert_eq!(s.values, vec!["+37369123456".to_owned()]);
    }

    #[test]
    fn like_patterns_are_literal() {
        assert_eq!(escape_like("50%_a!b"), "50!%!_a!!b");
    }
}
