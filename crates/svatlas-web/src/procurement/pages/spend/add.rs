//! `POST /contracts/{id}/spend`: the supplier records one spend line from the form.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use svatlas_domain::accounts::Role;
use svatlas_domain::procurement::spend::SpendLine;
use uuid::Uuid;

use super::get::{SpendForm, spend_page};
use crate::platform::auth::PageCaller;
use crate::platform::error::PageError;
use crate::platform::extract::PageForm;
use crate::platform::forms::show_again;
use crate::platform::views::FormErrors;
use crate::procurement::access::contract_for;
use crate::state::AppState;

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Records a spend line (supplier editors and admins); a refused form comes back with the
/// problems beside their fields and what was typed.
#[utoipa::path(post, path = "/contracts/{id}/spend", tag = "pages",
    params(("id" = Uuid, Path, description = "Contract id")),
    request_body(content_type = "application/x-www-form-urlencoded", description = "supplier, amount_gbp, date, postcode or area, sme, vcse, description"),
    responses(
        (status = 303, description = "Recorded: back to the spend page"),
        (status = 403, description = "The buyer, or a viewer", content_type = "text/html"),
        (status = 404, description = "No such contract, or not the caller's", content_type = "text/html"),
        (status = 422, description = "The form with its problems", content_type = "text/html")))]
pub async fn add_spend_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<Uuid>,
    PageForm(form): PageForm<SpendForm>,
) -> Result<Response, PageError> {
    let (_, side) = contract_for(&state, &caller, id).await?;
    side.require_supplier(Role::Editor)?;
    let mut errors = FormErrors::default();
    let amount = form
        .amount_gbp
        .trim()
        .trim_start_matches('£')
        .replace(',', "")
        .parse::<f64>();
    if amount.is_err() {
        errors.add(
            "amount_gbp",
            "Enter the amount in pounds, for example 1250.50",
        );
    }
    let line = SpendLine {
        supplier: form.supplier.trim().to_owned(),
        amount_gbp: amount.unwrap_or(f64::NAN),
        date: form.date.trim().to_owned(),
        postcode: opt(&form.postcode),
        area: opt(&form.area),
        sme: form.sme.is_some(),
        vcse: form.vcse.is_some(),
        description: form.description.trim().to_owned(),
    };
    if let Err(e) = line.validate() {
        for f in e.0 {
            if errors.get(&f.field).is_none() {
                errors.add(f.field, f.message);
            }
        }
    }
    if line.postcode.is_none() && line.area.is_none() {
        errors.add("postcode", "Enter the postcode where the supplier works, or an area code, so the spend can be placed");
    }
    if !errors.is_empty() {
        let (page, _) = spend_page(&state, &caller, id, errors, form).await?;
        return Ok(show_again(page));
    }
    state
        .store()
        .add_spend(&caller.user.email, id, &[line])
        .await?;
    Ok(Redirect::to(&format!("/contracts/{id}/spend#lines")).into_response())
}
