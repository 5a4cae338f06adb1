//! The rights of community tokens: listing them and changing them at
//! runtime (a test takes the `photos` right away, later grants it again).

use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;

use super::{Body, CtlError, CtlResult, reply};
use crate::model::TokenRights;
use crate::state::{App, World};

fn view(app: &App, world: &World, token: &str) -> Option<TokenRights> {
    let (group, _) = app.tokens.get(token)?;
    Some(TokenRights {
        token: token.to_owned(),
        group_id: app.groups[*group].id,
        rights: world
            .rights
            .get(token)
            .map(|r| r.iter().cloned().collect())
            .unwrap_or_default(),
    })
}

/// `GET /control/rights`: every accepted token and its rights.
pub(crate) async fn list(State(app): State<Arc<App>>) -> CtlResult {
    let world = app.lock();
    let tokens: Vec<TokenRights> = app
        .tokens
        .keys()
        .filter_map(|token| view(&app, &world, token))
        .collect();
    reply(tokens)
}

#[derive(Deserialize)]
pub(crate) struct RightsBody {
    token: String,
    rights: Vec<String>,
}

/// `POST /control/rights {"token", "rights": [...]}`: the token carries
/// exactly these rights from now on.
pub(crate) async fn set(State(app): State<Arc<App>>, Body(body): Body<RightsBody>) -> CtlResult {
    if !app.tokens.contains_key(&body.token) {
        return Err(CtlError::not_found(&format!("no token {:?}", body.token)));
    }
    let rights = crate::rights::parse(&body.rights).map_err(|e| CtlError::bad(&e))?;
    let changed = {
        let mut world = app.lock();
        world.rights.insert(body.token.clone(), rights);
        view(&app, &world, &body.token)
    };
    app.changed();
    reply(changed)
}
