//! The contract pages: a contract awarded from METHOD.md Example 5's tender (set up through the
//! store), then through the pages with signed-in browsers: the supplier reports delivery and
//! uploads evidence, the buyer queries, the supplier amends, the buyer verifies, and the
//! dashboard, milestones and downloads show it. Outsiders get 404, the wrong side 403, and
//! every route answers each persona with the same status as the JSON API.

use axum::http::{Method, StatusCode, header};
use svatlas_domain::procurement::delivery::ClaimDetails;
use svatlas_store::Store;
use uuid::Uuid;

use crate::accounts::accounts_web::{Browser, location, signed_in};
use crate::platform::app::{People, Stage};
use crate::platform::helpers::{Answer, assert_contains, multipart};

/// The report form for K1 with this quantity.
pub(crate) fn claim_form(quantity: &str) -> Vec<(&'static str, String)> {
    vec![
        ("kpi_id", "K1".into()),
        ("period_start", "2027-04-01".into()),
        ("period_end", "2027-06-30".into()),
        ("quantity", quantity.into()),
        ("note", "Two apprentices started with the fleet team".into()),
        (
            "links",
            "https://example.org/register\nhttps://example.org/contracts".into(),
        ),
        ("beneficiary_ref", "P-0042".into()),
    ]
}

fn fields<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The first `href` in the page that starts with `prefix`.
fn first_link(page: &str, prefix: &str) -> String {
    let start = page
        .find(&format!("href=\"{prefix}"))
        .unwrap_or_else(|| panic!("no link to {prefix} in {page}"))
        + "href=\"".len();
    let end = start + page[start..].find('"').expect("closing quote");
    page[start..end].to_owned()
}

fn status_of(answer: &Answer) -> u16 {
    answer.status.as_u16()
}

/// The page must have one h1 and a GOV.UK error summary linking to `field`.
fn assert_error_summary(page: &str, field: &str) {
    assert_eq!(page.matches("<h1").count(), 1, "{page}");
    assert_contains(page, &["govuk-error-summary"]);
    assert!(
        page.contains(&format!("href=\"#{field}\"")),
        "{field}: {page}"
    );
    assert!(page.contains(&format!("id=\"{field}\"")), "{field}: {page}");
    assert_contains(page, &["<title>Error: "]);
}

backends_test!(
    delivery_is_reported_evidenced_queried_amended_and_verified_through_the_pages,
    |t, p| {
        let id = t.tender(Stage::Awarded).await.contract.expect("awarded");
        let contract = format!("/contracts/{id}");
        let mut supplier = t.signed_in(&p.supplier_editor).await;
        let mut buyer = t.signed_in(&p.buyer_editor).await;

        // The dashboard before any delivery: the KPI from the bid, nothing verified.
        let page = supplier.get_is(&contract, 200).await;
        let page = page.text();
        assert_eq!(page.matches("<h1").count(), 1);
        assert_contains(
            &page,
            &[
                "Community transport, Plymouth",
                "Only verified delivery counts as delivered",
                "Apprenticeships for Plymouth residents",
                "action=\"/contracts/",
                "never a name",
                "<title id=\"kpi-chart-title\">",
                "<desc id=\"kpi-chart-desc\">",
                ">Due<",
            ],
        );

        // A quantity that is not a number: 422, the summary names the field, what was typed stays.
        let mut bad = claim_form("two");
        let answer = supplier
            .post(&format!("{contract}/claims"), &fields(&bad))
            .await;
        let page = answer.text_if(StatusCode::UNPROCESSABLE_ENTITY, "answer");
        assert_error_summary(&page, "c-quantity");
        assert!(page.contains("Enter the quantity delivered as a number"));
        assert!(page.contains("value=\"two\"") && page.contains("value=\"P-0042\""));
        bad[6].1 = "Jane Smith".into();
        bad[3].1 = "2".into();
        let answer = supplier
            .expecting(422)
            .post(&format!("{contract}/claims"), &fields(&bad))
            .await;
        assert_error_summary(&answer.text(), "c-beneficiary_ref");

        // A good claim: 303 to the claim's page.
        let answer = supplier
            .expecting(303)
            .post(&format!("{contract}/claims"), &fields(&claim_form("2")))
            .await;
        let claim = location(&answer).to_owned();
        assert!(claim.starts_with(&format!("{contract}/claims/")), "{claim}");
        let page = supplier.get(&claim).await.text();
        assert_contains(&page, &["Awaiting review", "2 "]);
        assert!(page.contains("https://example.org/register"));

        // Evidence: a renamed program is refused beside the field; a real PDF is kept.
        let answer = supplier
            .send(multipart(
                &format!("{claim}/evidence"),
                "register.pdf",
                b"MZ\x90\x00",
            ))
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_error_summary(&answer.text(), "file");
        let pdf = b"%PDF-1.4\n% apprentices register, Q2 2027\n%%EOF\n";
        let answer = supplier
            .send(multipart(
                &format!("{claim}/evidence"),
                "register Q2.pdf",
                pdf,
            ))
            .await;
        answer.text_if(StatusCode::SEE_OTHER, "answer");
        assert_eq!(location(&answer), format!("{claim}#evidence"));

        // The buyer downloads the same bytes, as an attachment.
        let page = buyer.get(&claim).await.text();
        assert_contains(&page, &["register Q2.pdf"]);
        assert!(page.contains("Review this claim"));
        let file = first_link(&page, &format!("{contract}/evidence/"));
        let download = buyer.get_is(&file, 200).await;
        assert_eq!(download.body, pdf);
        assert_eq!(download.headers[header::CONTENT_TYPE], "application/pdf");
        let disposition = download.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert_eq!(download.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        // Supplier members may download it too; outsiders may not.
        supplier.get_is(&file, 200).await;
        let mut outsider = t.signed_in(&p.outsider).await;
        outsider.get_is(&file, 404).await;

        // A query needs a note.
        let review = format!("{claim}/review");
        let answer = buyer
            .post(&review, &[("decision", "query"), ("note", "")])
            .await;
        let page = answer.text_if(StatusCode::UNPROCESSABLE_ENTITY, "answer");
        assert_error_summary(&page, "r-note");
        assert!(page.contains("value=\"query\" checked"), "decision kept");
        let answer = buyer
            .expecting(422)
            .post(&review, &[("decision", ""), ("note", "")])
            .await;
        assert_error_summary(&answer.text(), "r-decision");
        // The supplier cannot review.
        supplier
            .expecting(403)
            .post(&review, &[("decision", "verify"), ("note", "")])
            .await;
        let answer = buyer
            .expecting(303)
            .post(
                &review,
                &[
                    ("decision", "query"),
                    ("note", "Please add the apprenticeship agreements"),
                ],
            )
            .await;
        assert_eq!(location(&answer), claim);
        let page = supplier.get(&claim).await.text();
        assert_contains(&page, &[">Queried<"]);
        assert!(page.contains("Please add the apprenticeship agreements"));
        assert!(page.contains("Amend this claim"));

        // The supplier amends: bad input is 422 with the amend form kept; good goes back to review.
        let mut amended = claim_form("2");
        amended[4].1 = "Agreements added to the register".into();
        let mut wrong = amended.clone();
        wrong[2].1 = "2027-02-30".into();
        let answer = supplier.post(&claim, &fields(&wrong)).await;
        let page = answer.text_if(StatusCode::UNPROCESSABLE_ENTITY, "answer");
        assert_error_summary(&page, "a-period_end");
        assert!(page.contains("value=\"2027-02-30\""));
        supplier
            .expecting(303)
            .post(&claim, &fields(&amended))
            .await;
        let page = buyer.get(&claim).await.text();
        assert!(page.contains(">Awaiting review<") && page.contains("Agreements added"));

        // The buyer verifies; a second review is a state conflict.
        buyer
            .expecting(303)
            .post(&review, &[("decision", "verify"), ("note", "")])
            .await;
        let page = buyer.get(&claim).await.text();
        assert!(page.contains(">Verified<") && page.contains("counts as delivered"));
        assert!(!page.contains("Review this claim"));
        let answer = buyer
            .expecting(409)
            .post(&review, &[("decision", "reject"), ("note", "Too late")])
            .await;
        assert!(answer.text().contains("verified already"));
        // Nor can a verified claim be amended or get more evidence.
        supplier
            .expecting(409)
            .post(&claim, &fields(&amended))
            .await;
        assert_eq!(
            supplier
                .send(multipart(&format!("{claim}/evidence"), "more.pdf", pdf))
                .await
                .status,
            StatusCode::CONFLICT
        );

        // The dashboard: 2 of 6 verified for K1, the first milestone met, the second due.
        let page = buyer.get(&contract).await.text();
        assert_contains(
            &page,
            &[
                "2 of 6",
                "verified (33%)",
                ">Met<",
                ">Due<",
                ">Verified<",
                "2027-Q2",
                "/areas/E06000026",
            ],
        );
        let row = &page[page.find("id=\"kpi-K1\"").expect("K1 row")..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert_contains(row, &[">6<", ">2<", "33%"]);
        assert!(
            !page.contains("action=\"/contracts/"),
            "buyers get no report form"
        );

        // The KPI table downloads with its figures and notes.
        let csv = buyer
            .get_is(&format!("{contract}?format=csv"), 200)
            .await
            .text();
        assert_contains(&csv, &["Only verified delivery counts as delivered"]);
        let k1 = csv
            .lines()
            .find(|l| l.starts_with("K1,"))
            .unwrap_or_else(|| panic!("no K1 row: {csv}"));
        assert_contains(k1, &["MAC 2.2", ",E06000026,6,2,2,"]);
        let json = buyer.get(&format!("{contract}?format=json")).await.json();
        assert_eq!(json["rows"][0]["Verified"], 2.0);
        let xlsx = buyer.get(&format!("{contract}?format=xlsx")).await;
        assert!(xlsx.body.starts_with(b"PK"));
        buyer.get_is(&format!("{contract}?format=pdf"), 422).await;

        // The portfolio: the contract with its figures, and the buyer's totals by theme.
        let list = buyer.get("/contracts").await.text();
        assert!(list.contains(&format!("href=\"{contract}\"")), "{list}");
        assert_contains(&list, &["Tackling economic inequality"]);
        assert!(list.contains("Committed and verified, by theme"));
        let list = supplier.get("/contracts").await.text();
        assert!(list.contains("Supplier") && !list.contains("Committed and verified, by theme"));
        let csv = buyer.get("/contracts?format=csv").await.text();
        let row = csv
            .lines()
            .find(|l| l.contains(&id.to_string()))
            .unwrap_or_else(|| panic!("{csv}"));
        assert!(
            row.contains(",Buyer,") && row.ends_with(",1,0,0,0"),
            "{row}"
        );
        let list = outsider.get("/contracts").await.text();
        assert_contains(&list, &["no contracts yet"]);

        // Outsiders see nothing of it.
        outsider.get_is(&contract, 404).await;
        outsider.get_is(&claim, 404).await;
    }
);

people_test!(
    the_same_beneficiary_claimed_twice_is_flagged_with_links,
    |t, p| {
        let id = t.tender(Stage::Awarded).await.contract.expect("awarded");
        let mut supplier = t.signed_in(&p.supplier_editor).await;
        let mut first = claim_form("1");
        first[6].1 = "p-7".into();
        let mut second = first.clone();
        second[1].1 = "2027-07-01".into();
        second[2].1 = "2027-09-30".into();
        second[6].1 = " P-7 ".into();
        for form in [&first, &second] {
            supplier
                .expecting(303)
                .post(&format!("/contracts/{id}/claims"), &fields(form))
                .await;
        }
        let page = supplier.get(&format!("/contracts/{id}")).await.text();
        assert!(page.contains("Possible double counting"));
        assert_contains(
            &page,
            &["1 beneficiary reference appears on more than one claim"],
        );
        assert!(page.contains(">P-7<") && page.contains("The same KPI claimed again"));
        let table = &page[page.find("id=\"duplicate-table\"").unwrap()..];
        assert_eq!(
            table[..table.find("</table>").unwrap()]
                .matches(&format!("href=\"/contracts/{id}/claims/"))
                .count(),
            2
        );
    }
);

/// Who calls, for the status table.
#[derive(Clone, Copy, Debug)]
enum Who {
    SignedOut,
    BuyerViewer,
    BuyerEditor,
    BuyerAdmin,
    SupplierEditor,
    SupplierViewer,
    Outsider,
}

const EVERYONE: [Who; 7] = [
    Who::SignedOut,
    Who::BuyerViewer,
    Who::BuyerEditor,
    Who::BuyerAdmin,
    Who::SupplierEditor,
    Who::SupplierViewer,
    Who::Outsider,
];

async fn browser(app: &axum::Router, p: &People, who: Who) -> Browser {
    let email = match who {
        Who::SignedOut => return Browser::new(app),
        Who::BuyerViewer => &p.buyer_viewer.email,
        Who::BuyerEditor => &p.buyer_editor.email,
        Who::BuyerAdmin => &p.buyer_admin.email,
        Who::SupplierEditor => &p.supplier_editor.email,
        Who::SupplierViewer => &p.supplier_viewer.email,
        Who::Outsider => &p.outsider.email,
    };
    signed_in(app, email).await
}

/// A claim made through the store, awaiting review.
async fn fresh_claim(store: &Store, contract: Uuid) -> Uuid {
    let details = ClaimDetails {
        kpi_id: "K1".into(),
        period_start: "2027-04-01".into(),
        period_end: "2027-06-30".into(),
        quantity: 1.0,
        note: String::new(),
        links: Vec::new(),
        beneficiary_ref: None,
    };
    store
        .add_claim("bids@a.example", contract, &details)
        .await
        .expect("claim")
        .id
}

people_test!(
    every_contract_page_answers_each_persona_as_the_api_does,
    |t| {
        let (app, p) = (&t.app, &t.people);
        let id = t.tender(Stage::Awarded).await.contract.expect("awarded");
        let claim = fresh_claim(&t.store, id).await;
        let pdf: &[u8] = b"%PDF-1.7\n%%EOF\n";
        let file = t
            .store
            .add_claim_evidence("bids@a.example", id, claim, "a.pdf", "application/pdf", pdf)
            .await
            .expect("file")
            .id;
        let good = claim_form("1");
        // One session each (signing in again and again would meet the sign-in rate limit).
        let mut browsers = Vec::new();
        for who in EVERYONE {
            browsers.push(browser(app, p, who).await);
        }
        // Expected statuses: signed out, buyer viewer, editor, admin, supplier editor, viewer, outsider.
        // Anyone signed in lists contracts; only the two parties read this one.
        let (anyone, parties) = (
            [303, 200, 200, 200, 200, 200, 200],
            [303, 200, 200, 200, 200, 200, 404],
        );
        let reads: [(&str, String, [u16; 7]); 5] = [
            ("list", "/contracts".into(), anyone),
            ("dashboard", format!("/contracts/{id}"), parties),
            ("csv", format!("/contracts/{id}?format=csv"), parties),
            ("claim", format!("/contracts/{id}/claims/{claim}"), parties),
            ("file", format!("/contracts/{id}/evidence/{file}"), parties),
        ];
        for (name, uri, expected) in &reads {
            for ((who, want), b) in EVERYONE.into_iter().zip(expected).zip(&mut browsers) {
                let answer = b.get(uri).await;
                assert_eq!(status_of(&answer), *want, "{name} GET {uri} as {who:?}");
                if matches!(who, Who::SignedOut) {
                    assert!(location(&answer).starts_with("/login"), "{name}");
                }
            }
        }
        let writes: [(&str, [u16; 7]); 4] = [
            ("report", [303, 403, 403, 403, 303, 403, 404]),
            ("amend", [303, 403, 403, 403, 303, 403, 404]),
            ("review", [303, 403, 303, 303, 403, 403, 404]),
            ("evidence", [303, 403, 403, 403, 303, 403, 404]),
        ];
        for (name, expected) in writes {
            for ((who, want), b) in EVERYONE.into_iter().zip(expected).zip(&mut browsers) {
                // A fresh claim awaiting review for every call, so each one may succeed.
                let claim = fresh_claim(&t.store, id).await;
                let base = format!("/contracts/{id}/claims");
                let answer = match name {
                    "report" => b.post(&base, &fields(&good)).await,
                    "amend" => b.post(&format!("{base}/{claim}"), &fields(&good)).await,
                    "review" => {
                        b.post(
                            &format!("{base}/{claim}/review"),
                            &[("decision", "verify"), ("note", "")],
                        )
                        .await
                    }
                    _ => {
                        b.send(multipart(&format!("{base}/{claim}/evidence"), "e.pdf", pdf))
                            .await
                    }
                };
                assert_eq!(
                    status_of(&answer),
                    want,
                    "{name} as {who:?}: {}",
                    answer.text()
                );
                if matches!(who, Who::SignedOut) {
                    assert_eq!(location(&answer), "/login", "{name}");
                }
            }
        }
        // Unknown claims and files are 404 for members; the JSON API agrees on the review's status.
        let buyer = &mut browsers[2];
        let nobody = Uuid::new_v4();
        for unknown in [
            format!("/contracts/{id}/claims/{nobody}"),
            format!("/contracts/{id}/evidence/{nobody}"),
        ] {
            buyer.get_is(&unknown, 404).await;
        }
        buyer
            .expecting(404)
            .post(
                &format!("/contracts/{id}/claims/{nobody}/review"),
                &[("decision", "verify")],
            )
            .await;
        buyer.get_is(&format!("/contracts/{nobody}"), 404).await;
        let api = crate::platform::app::call(
            app,
            Method::POST,
            &format!("/api/v1/contracts/{id}/claims/{claim}/review"),
            Some(&p.supplier_editor.token),
            Some(serde_json::json!({"decision": "verify"})),
        )
        .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);
    }
);

/// The `#` lines, header and data rows of a downloaded CSV (no field in these tables holds a
/// newline, so lines are rows).
fn csv_table(csv: &str) -> (String, Vec<String>) {
    let mut lines = csv.lines().filter(|l| !l.starts_with('#'));
    let header = lines.next().unwrap_or_else(|| panic!("no header: {csv}"));
    (header.to_owned(), lines.map(str::to_owned).collect())
}

people_test!(
    every_table_of_the_contract_page_downloads_as_csv_xlsx_and_json,
    |t| {
        let (app, p) = (&t.app, &t.people);
        let id = t.tender(Stage::Awarded).await.contract.expect("awarded");
        let contract = format!("/contracts/{id}");
        let short = &id.to_string()[..8];
        let mut supplier = t.signed_in(&p.supplier_editor).await;
        let mut buyer = t.signed_in(&p.buyer_editor).await;

        // Two apprentices reported (reference P-0042, two links) and verified.
        let answer = supplier
            .expecting(303)
            .post(&format!("{contract}/claims"), &fields(&claim_form("2")))
            .await;
        let claim = location(&answer).to_owned();
        let claim_id = claim.rsplit('/').next().expect("claim id").to_owned();
        buyer
            .expecting(303)
            .post(
                &format!("{claim}/review"),
                &[("decision", "verify"), ("note", "")],
            )
            .await;

        // The page: each table has its three links; the KPI list stays as it was; `table` alone is
        // ignored.
        let page = buyer.get_is(&contract, 200).await.text();
        assert!(
            page.contains(&format!("href=\"{contract}?format=csv\"")),
            "KPI links unchanged: {page}"
        );
        for table in ["themes", "places", "quarters", "milestones", "claims"] {
            for format in ["csv", "xlsx", "json"] {
                // Askama writes `&` in an attribute as `&#38;`.
                let href = format!("href=\"{contract}?table={table}&#38;format={format}\"");
                assert!(page.contains(&href), "lacks {href}");
            }
        }
        assert!(page.contains("table=claims&#38;format=csv"));
        let ignored = buyer.get(&format!("{contract}?table=claims")).await;
        ignored.assert_says(200, "id=\"claims-table\"");
        // What the page shows, for the downloads to match.
        let section = |id: &str| {
            let start = page.find(id).unwrap_or_else(|| panic!("no {id}"));
            let rest = &page[start..];
            rest[..rest.find("</table>").expect("table end")].to_owned()
        };
        let claims_html = section("id=\"claims-table\"");
        assert_contains(&claims_html, &[&claim_id, ">Verified<"]);
        assert!(claims_html.contains(">2 "), "quantity 2: {claims_html}");
        let themes_html = section("id=\"by-theme\"");
        assert_contains(
            &themes_html,
            &["Tackling economic inequality", ">1<", ">0<", ">33%<"],
        );
        let milestones_html = section("id=\"milestone-table\"");
        assert_contains(&milestones_html, &["2028-03-31", ">Met<"]);

        let download = |table: &'static str, format: &'static str| {
            format!("{contract}?table={table}&format={format}")
        };

        // Claims: figures, dates as YYYY-MM-DD, no e-mail and no beneficiary reference.
        let answer = buyer.get_is(&download("claims", "csv"), 200).await;
        assert!(
            answer.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains(&format!("contract-{short}-claims.csv")),
            "{:?}",
            answer.headers
        );
        let csv = answer.text();
        assert_contains(&csv, &["Only verified delivery counts as delivered"]);
        let (header, rows) = csv_table(&csv);
        assert_eq!(
            header,
            "Claim,KPI,Period start,Period end,Quantity,Unit,Status,Evidence files,Evidence links,\
         Reported on,Last reviewed on"
        );
        assert_eq!(rows.len(), 1, "{csv}");
        let row: Vec<&str> = rows[0].split(',').collect();
        assert_eq!(row.len(), 11, "{}", rows[0]);
        assert_eq!(
            row[..4],
            [claim_id.as_str(), "K1", "2027-04-01", "2027-06-30"]
        );
        assert_eq!(row[4], "2", "the claim's quantity");
        assert!(!row[5].is_empty(), "a unit");
        assert_eq!(row[6], "Verified");
        assert_eq!(row[7..9], ["0", "2"], "no file, two links");
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        assert_eq!(row[9..], [today.as_str(), today.as_str()]);
        for secret in [
            p.supplier_editor.email.as_str(),
            p.buyer_editor.email.as_str(),
            "P-0042",
            "p-0042",
            "@",
        ] {
            assert!(
                !csv.contains(secret),
                "the claims CSV shows {secret}: {csv}"
            );
        }
        assert!(
            claims_html.contains("P-0042"),
            "the page itself shows the reference"
        );
        let json = buyer.get(&download("claims", "json")).await.json();
        assert_eq!(json["columns"].as_array().expect("columns").len(), 11);
        assert_eq!(json["rows"].as_array().expect("rows").len(), rows.len());
        assert_eq!(json["rows"][0]["Quantity"], 2.0);
        assert_eq!(json["rows"][0]["Status"], "Verified");
        assert!(!json.to_string().contains("P-0042"));

        // Themes: the counts and the share the page shows, the share unrounded.
        let csv = buyer.get(&download("themes", "csv")).await.text();
        let (header, rows) = csv_table(&csv);
        assert_eq!(
            header,
            "Theme or mission,KPIs,KPIs met,Average verified share of target (%)"
        );
        let theme = rows
            .iter()
            .find(|r| r.starts_with("Tackling economic inequality,"))
            .unwrap_or_else(|| panic!("no theme row: {csv}"));
        assert!(
            theme.starts_with("Tackling economic inequality,1,0,33.33"),
            "{theme}"
        );
        assert!(csv.contains("Only verified delivery counts as delivered"));
        let json = buyer.get(&download("themes", "json")).await.json();
        assert_eq!(json["rows"].as_array().expect("rows").len(), rows.len());
        assert_eq!(json["columns"].as_array().expect("columns").len(), 4);
        let share = json["rows"][0]["Average verified share of target (%)"]
            .as_f64()
            .expect("a number");
        assert!((share - 100.0 / 3.0).abs() < 1e-9, "{share}");

        // Milestones: due dates, targets and verified so far, as on the page.
        let csv = buyer.get(&download("milestones", "csv")).await.text();
        let (header, rows) = csv_table(&csv);
        assert_eq!(
            header,
            "Due,KPI,Milestone,Unit,Target by then,Verified by then,State,Shortfall (late only)"
        );
        assert_eq!(rows.len(), 2, "{csv}");
        let first: Vec<&str> = rows[0].split(',').collect();
        assert_eq!(first[..3], ["2028-03-31", "K1", "Year 1"], "{}", rows[0]);
        assert_eq!(first[4..], ["2", "2", "Met", ""], "{}", rows[0]);
        let second: Vec<&str> = rows[1].split(',').collect();
        assert_eq!(second[..3], ["2029-03-31", "K1", "Year 2"], "{}", rows[1]);
        assert_eq!(second[4..], ["4", "2", "Due", ""], "{}", rows[1]);
        let json = buyer.get(&download("milestones", "json")).await.json();
        assert_eq!(json["rows"].as_array().expect("rows").len(), rows.len());
        assert_eq!(json["rows"][1]["Target by then"], 4.0);

        // Every table as XLSX and JSON; the KPIs stay the default.
        for table in [
            "kpis",
            "themes",
            "places",
            "quarters",
            "milestones",
            "duplicates",
            "claims",
        ] {
            let xlsx = buyer.get_is(&download(table, "xlsx"), 200).await;
            assert!(xlsx.body.starts_with(b"PK"), "{table}");
            let json = buyer.get_is(&download(table, "json"), 200).await;
            assert!(json.json()["columns"].is_array(), "{table}");
        }
        let places = buyer.get(&download("places", "csv")).await.text();
        assert!(
            places.lines().any(|l| l.starts_with("E06000026,1,0,33.33")),
            "{places}"
        );
        let quarters = buyer.get(&download("quarters", "csv")).await.text();
        assert!(
            quarters
                .lines()
                .any(|l| l.starts_with("2027-Q2,K1,") && l.ends_with(",2,2")),
            "{quarters}"
        );
        let kpis = buyer
            .get(&format!("{contract}?table=kpis&format=csv"))
            .await
            .text();
        assert_eq!(
            kpis,
            buyer.get(&format!("{contract}?format=csv")).await.text()
        );

        // The same reference claimed again: the double-counting table downloads with its flag,
        // and the claims table still names no reference.
        let mut again = claim_form("1");
        again[1].1 = "2027-07-01".into();
        again[2].1 = "2027-09-30".into();
        supplier
            .expecting(303)
            .post(&format!("{contract}/claims"), &fields(&again))
            .await;
        let page = buyer.get(&contract).await.text();
        assert_contains(&page, &["table=duplicates&#38;format=csv"]);
        let csv = buyer.get(&download("duplicates", "csv")).await.text();
        let (header, rows) = csv_table(&csv);
        assert_eq!(header, "Reference,What was found,Number of claims,Claims");
        assert_eq!(
            rows,
            [
                "P-0042,The same KPI claimed again for this reference,2,K1 on this contract; K1 on this contract"
            ],
            "{csv}"
        );
        let csv = buyer.get(&download("claims", "csv")).await.text();
        assert_eq!(csv_table(&csv).1.len(), 2, "{csv}");
        assert!(!csv.contains("P-0042") && !csv.contains('@'), "{csv}");

        // An unknown table is a 422 naming the accepted ones; outsiders get 404 as for the page.
        let answer = buyer.get_is(&download("nonsense", "csv"), 422).await;
        assert!(
        answer.text().contains(
            "table must be one of kpis, themes, places, quarters, milestones, duplicates, claims"
        ),
        "{}",
        answer.text()
    );
        let viewer = crate::platform::app::persona(
            &t.store,
            "viewer@y.example",
            "Org Y",
            svatlas_domain::accounts::Role::Viewer,
        )
        .await;
        let mut stranger = signed_in(app, &viewer.email).await;
        stranger.get_is(&contract, 404).await;
        stranger.get_is(&download("claims", "csv"), 404).await;
        let mut outsider = t.signed_in(&p.outsider).await;
        outsider.get_is(&download("claims", "csv"), 404).await;
    }
);
