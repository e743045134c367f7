//! The partner directory's JSON API end to end: VCSEs register and publish profiles, anyone
//! searches them by place and cause, tenders and contracts rank them against the shipped area
//! data, suppliers pledge support and report delivery, and the VCSE confirms or queries it;
//! with who sees what (other organisations' private things are 404). SQLite and PostgreSQL.

use axum::Router;
use axum::http::Method;
use serde_json::{Value, json};
use svatlas_domain::partners::matching::{
    CAUSE_WEIGHT, DISTANCE_WEIGHT, NEED_WEIGHT, closeness, need_value,
};
use uuid::Uuid;

use crate::platform::app::{Persona, TestApp, awarded, call, expect};
use crate::platform::helpers::{Answer, assert_contains, strings};
use crate::procurement::procurement_helpers::tender_json;

/// A profile as the API takes it.
pub fn profile_json(name: &str, areas: &[&str], causes: &[&str], published: bool) -> Value {
    json!({
        "name": name,
        "charity_number": "1123456",
        "description": format!("{name}: training and jobs for young people"),
        "website": "https://hub.example.org",
        "contact_email": "hello@hub.example.org",
        "areas": areas,
        "causes": causes,
        "offers": ["Work placements", "Mentoring"],
        "published": published
    })
}

pub fn need_json() -> Value {
    json!({"kind": "volunteers", "description": "Mentors for young job seekers", "quantity": 200})
}

/// Registers a profile through the API as `who`: its id.
pub async fn register(app: &Router, who: &Persona, body: Value) -> String {
    expect(app, Method::POST, "/api/v1/partners", who, Some(body), 201)
        .await
        .json()["id"]
        .as_str()
        .expect("profile id")
        .to_owned()
}

/// Registers published profiles (who, name, areas, causes) through the API: their ids.
pub async fn publish_all(
    app: &Router,
    profiles: &[(&Persona, &str, &[&str], &[&str])],
) -> Vec<String> {
    let mut ids = Vec::new();
    for (who, name, areas, causes) in profiles {
        ids.push(register(app, who, profile_json(name, areas, causes, true)).await);
    }
    ids
}

/// The Plymouth Skills Hub's published profile (Plymouth, MAC 2.2) registered by `who`: its id.
pub async fn hub_profile(app: &Router, who: &Persona) -> String {
    let hub = profile_json("Plymouth Skills Hub", &["E06000026"], &["MAC 2.2"], true);
    register(app, who, hub).await
}

/// Somewhere to pledge: Example 5's tender awarded to Supplier A through the store, and the
/// Plymouth Skills Hub's profile registered by the VCSE's editor: (tender, contract, profile).
pub async fn awarded_with_hub(t: &TestApp) -> (Uuid, Uuid, String) {
    let (tender, contract) = awarded(&t.store, &t.people).await;
    let profile = hub_profile(&t.app, &t.people.vcse_editor).await;
    (tender, contract, profile)
}

async fn anonymous(app: &Router, method: Method, uri: &str) -> Answer {
    call(app, method, uri, None, None).await
}

fn names(list: &Value) -> Vec<&str> {
    strings(&list["items"], "name")
}

backends_test!(
    profiles_are_registered_by_their_organisation_and_hidden_until_published,
    |t| {
        let (app, w) = (&t.app, &t.people);
        let body = profile_json("Plymouth Skills Hub", &["E06000026"], &["MAC 2.2"], false);
        // Viewers cannot register; nobody without a token can.
        t.post(&w.vcse_viewer, "/api/v1/partners", body.clone(), 403)
            .await;
        let none = call(
            app,
            Method::POST,
            "/api/v1/partners",
            None,
            Some(body.clone()),
        )
        .await;
        assert_eq!(none.status, 401, "{}", t.label);
        let id = register(app, &w.vcse_editor, body.clone()).await;
        // One profile per organisation.
        t.post(&w.vcse_admin, "/api/v1/partners", body.clone(), 409)
            .await;
        // Unpublished: members see it, nobody else does, and it is not listed.
        let uri = format!("/api/v1/partners/{id}");
        assert_eq!(
            anonymous(app, Method::GET, &uri).await.status,
            404,
            "{}",
            t.label
        );
        t.get(&w.outsider, &uri, 404).await;
        let own = t.get(&w.vcse_viewer, &uri, 200).await;
        assert_eq!(own.json()["published"], false);
        assert_eq!(own.json()["cause_labels"][0]["kind"], "criterion");
        let list = anonymous(app, Method::GET, "/api/v1/partners").await;
        assert_eq!(list.json()["total"], 0, "{}", t.label);
        // A bad token is refused rather than treated as anonymous.
        let bad = call(app, Method::GET, &uri, Some("sva_nonsense"), None).await;
        assert_eq!(bad.status, 401);
        // Other organisations cannot change it: 404, as if it did not exist; viewers 403.
        let published = profile_json("Plymouth Skills Hub", &["E06000026"], &["MAC 2.2"], true);
        t.put(&w.outsider, &uri, published.clone(), 404).await;
        t.put(&w.other_vcse, &uri, published.clone(), 404).await;
        t.put(&w.vcse_viewer, &uri, published.clone(), 403).await;
        // Bad values are 422 naming the field.
        let mut bad_number = published.clone();
        bad_number["charity_number"] = json!("12");
        let refused = t.put(&w.vcse_editor, &uri, bad_number, 422).await;
        assert_eq!(
            refused.json()["error"]["field"],
            "charity_number",
            "{}",
            t.label
        );
        let mut no_causes = published.clone();
        no_causes["causes"] = json!([]);
        let refused = t.put(&w.vcse_editor, &uri, no_causes, 422).await;
        assert_eq!(refused.json()["error"]["field"], "causes");
        // Published: public, listed, and still changed only by its members.
        t.put(&w.vcse_editor, &uri, published, 200).await;
        let public = anonymous(app, Method::GET, &uri).await;
        assert_eq!(public.status, 200, "{}", t.label);
        assert_eq!(public.json()["name"], "Plymouth Skills Hub");
        let list = anonymous(app, Method::GET, "/api/v1/partners").await.json();
        assert_eq!(names(&list), ["Plymouth Skills Hub"], "{}", t.label);
        t.put(&w.outsider, &uri, json!({"name": "x"}), 404).await;
        // Needs: the VCSE's editors add and close them; others cannot.
        let needs = format!("{uri}/needs");
        t.post(&w.supplier_editor, &needs, need_json(), 404).await;
        t.post(&w.vcse_viewer, &needs, need_json(), 403).await;
        let need = t
            .post(&w.vcse_editor, &needs, need_json(), 201)
            .await
            .json();
        assert_eq!(need["unit"], "volunteer hours", "{}", t.label);
        assert_eq!(need["open"], true);
        let need_uri = format!("{needs}/{}", need["id"].as_str().unwrap());
        let mut closed = need_json();
        closed["open"] = json!(false);
        t.put(&w.other_vcse, &need_uri, closed.clone(), 404).await;
        let changed = t.put(&w.vcse_admin, &need_uri, closed, 200).await;
        assert_eq!(changed.json()["open"], false);
        let wrong = format!("{needs}/{}", Uuid::new_v4());
        t.put(&w.vcse_admin, &wrong, need_json(), 404).await;
        let shown = anonymous(app, Method::GET, &uri).await.json();
        assert_eq!(shown["needs"].as_array().unwrap().len(), 1);
        assert_eq!(shown["needs"][0]["progress"]["pledges"], 0);
    }
);

#[tokio::test]
async fn the_directory_is_searched_by_place_cause_and_need_with_the_shipped_areas() {
    let t = TestApp::with_areas(svatlas_store::testing::sqlite().await).await;
    let (app, w) = (t.app.clone(), &t.people);
    let lsoa = plymouth_lsoa(|_| true);
    let region = crate::need::area_helpers::frame()
        .area_of("E06000026", svatlas_areas::geography::AreaType::Lad24)
        .expect("Plymouth")
        .parent_codes
        .iter()
        .find(|c| c.starts_with("E12"))
        .cloned()
        .expect("Plymouth's region");
    // Plymouth itself, a neighbourhood in it, its region, and Manchester.
    let ids = publish_all(
        &app,
        &[
            (&w.vcse_admin, "A Plymouth", &["E06000026"], &["MAC 2.2"]),
            (&w.other_vcse, "B Neighbourhood", &[&lsoa], &["thriving"]),
            (&w.outsider, "C South West", &[&region], &["MAC 1a"]),
            (&w.supplier_b, "D Manchester", &["E08000003"], &["MAC 8.1"]),
        ],
    )
    .await;
    let d = &ids[3];
    t.post(
        &w.supplier_b,
        &format!("/api/v1/partners/{d}/needs"),
        json!({"kind": "premises", "description": "A hall"}),
        201,
    )
    .await;
    let search = |q: &str| {
        let app = app.clone();
        let uri = format!("/api/v1/partners?{q}");
        async move {
            let a = anonymous(&app, Method::GET, &uri).await;
            assert_eq!(a.status, 200, "{uri}: {}", a.text());
            a.json()
        }
    };
    // A district finds itself, what lies within it and what contains it, not elsewhere.
    let plymouth = search("place=e06000026").await;
    assert_eq!(
        names(&plymouth),
        ["A Plymouth", "B Neighbourhood", "C South West"]
    );
    assert_eq!(plymouth["place"]["name"], "Plymouth");
    // A neighbourhood finds itself and the areas containing it.
    let small = search(&format!("place={lsoa}")).await;
    assert_eq!(
        names(&small),
        ["A Plymouth", "B Neighbourhood", "C South West"]
    );
    assert_eq!(names(&search("place=E08000003").await), ["D Manchester"]);
    // Causes: a criterion, a component, and a mission that also finds the criteria under it.
    assert_eq!(names(&search("cause=MAC%202.2").await), ["A Plymouth"]);
    assert_eq!(names(&search("cause=thriving").await), ["B Neighbourhood"]);
    assert_eq!(
        names(&search("cause=mission:kickstart-economic-growth").await),
        ["A Plymouth", "C South West"]
    );
    let both = search("place=E06000026&cause=MAC%201a").await;
    assert_eq!(names(&both), ["C South West"]);
    assert_eq!(both["cause"]["kind"], "criterion");
    // Kind of open need.
    let premises = search("need=premises").await;
    assert_eq!(names(&premises), ["D Manchester"]);
    assert_eq!(premises["items"][0]["open_needs"], json!(["premises"]));
    // Pages.
    let page2 = search("per_page=3&page=2").await;
    assert_eq!(
        (page2["total"].clone(), page2["pages"].clone()),
        (json!(4), json!(2))
    );
    assert_eq!(names(&page2), ["D Manchester"]);
    // Problems name the parameter.
    let bad = anonymous(
        &app,
        Method::GET,
        "/api/v1/partners?place=E99999999&cause=kindness",
    )
    .await;
    assert_eq!(bad.status, 422);
    let e = bad.json();
    assert_eq!(e["error"]["field"], "place");
    assert_eq!(e["error"]["others"][0]["field"], "cause");
    let bad = anonymous(&app, Method::GET, "/api/v1/partners?page=0").await;
    assert_eq!(bad.json()["error"]["field"], "page");
    // Unknown area codes are refused on profiles when the server knows the areas.
    let mut unknown = profile_json("E Nowhere", &["E06999999"], &["MAC 2.2"], true);
    unknown["areas"] = json!(["E06000026", "E06999999"]);
    let refused = call(
        &app,
        Method::POST,
        "/api/v1/partners",
        Some(&w.buyer_admin.token),
        Some(unknown),
    )
    .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json()["error"]["field"], "areas[1]");
    assert_eq!(refused.json()["error"]["codes"], json!(["E06999999"]));
    t.finish().await;
}

/// The first of Plymouth's LSOAs (2021) in the shipped data for which `keep` holds.
fn plymouth_lsoa(keep: impl Fn(&str) -> bool) -> String {
    let frame = crate::need::area_helpers::frame();
    let lsoas = frame.lsoas_in("E06000026", svatlas_areas::geography::Edition::Iod2025);
    let found = lsoas.into_iter().find(|a| keep(&a.code));
    found.expect("a Plymouth LSOA that fits").code.clone()
}

/// The average IMD 2025 decile of the LSOAs in an area, from the shipped data.
fn mean_decile(code: &str) -> f64 {
    let frame = crate::need::area_helpers::frame();
    let deciles: Vec<f64> = frame
        .lsoas_in(code, svatlas_areas::geography::Edition::Iod2025)
        .iter()
        .filter_map(|a| frame.value("iod2025.imd.decile", &a.code))
        .collect();
    deciles.iter().sum::<f64>() / deciles.len() as f64
}

#[tokio::test]
async fn a_tender_ranks_partners_by_causes_need_and_distance_from_the_shipped_data() {
    let t = TestApp::with_areas(svatlas_store::testing::sqlite().await).await;
    let (app, w) = (t.app.clone(), &t.people);
    // The most deprived neighbourhood of Plymouth.
    let frame = crate::need::area_helpers::frame();
    let deprived = plymouth_lsoa(|code| frame.value("iod2025.imd.decile", code) == Some(1.0));
    let both = ["MAC 2.2", "MAC 8.1"];
    publish_all(
        &app,
        &[
            (&w.vcse_admin, "Whole Plymouth", &["E06000026"], &both),
            (&w.other_vcse, "Deprived corner", &[&deprived], &["MAC 2.2"]),
            (&w.outsider, "Manchester", &["E08000003"], &both),
        ],
    )
    .await;
    // The buyer's draft tender: Example 5 (MAC 2.2 and MAC 8.1, Plymouth).
    let tender = t
        .post(&w.buyer_editor, "/api/v1/tenders", tender_json(), 201)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let uri = format!("/api/v1/tenders/{tender}/partner-matches");
    // Who sees the tender sees its matches: the buyer now, the invited supplier once open.
    t.get(&w.supplier_editor, &uri, 404).await;
    t.get(&w.outsider, &uri, 404).await;
    assert_eq!(anonymous(&app, Method::GET, &uri).await.status, 401);
    let list = t.get(&w.buyer_viewer, &uri, 200).await.json();
    assert!(list["unavailable"].as_array().unwrap().is_empty(), "{list}");
    assert_eq!(list["considered"], 3);
    // Expected scores, worked from the shipped data with the published formula.
    let score = |overlap: f64, decile: f64, km: f64| {
        100.0
            * (CAUSE_WEIGHT * overlap
                + NEED_WEIGHT * need_value(decile)
                + DISTANCE_WEIGHT * closeness(km))
    };
    let whole = score(1.0, mean_decile("E06000026"), 0.0);
    let corner = score(0.5, 1.0, 0.0);
    let manchester_km = list["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["profile"]["name"] == "Manchester")
        .and_then(|m| m["factors"][2]["words"].as_str())
        .map(str::to_owned)
        .expect("Manchester ranked");
    assert_contains(&manchester_km, &[" km between"]);
    let manchester = score(1.0, mean_decile("E08000003"), 1000.0);
    let got: Vec<(String, f64)> = list["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["profile"]["name"].as_str().unwrap().to_owned(),
                m["score"].as_f64().unwrap(),
            )
        })
        .collect();
    let mut want = vec![
        ("Whole Plymouth".to_owned(), whole),
        ("Deprived corner".to_owned(), corner),
        ("Manchester".to_owned(), manchester),
    ];
    want.sort_by(|a, b| b.1.total_cmp(&a.1));
    assert_eq!(
        got.iter().map(|g| &g.0).collect::<Vec<_>>(),
        want.iter().map(|w| &w.0).collect::<Vec<_>>(),
        "{got:?} vs {want:?}"
    );
    for ((_, g), (name, w)) in got.iter().zip(&want) {
        assert!((g - w).abs() < 1e-9, "{name}: {g} vs {w}");
    }
    // Each factor shows its value and how it was worked out.
    let first = &list["matches"][0];
    assert_eq!(first["rank"], 1);
    let words: Vec<&str> = strings(&first["factors"], "words");
    assert!(
        words[0].starts_with("Causes: they list 2 of the 2 criteria"),
        "{words:?}"
    );
    assert!(words[1].contains("average IMD 2025 decile"), "{words:?}");
    assert!(words[2].starts_with("Distance: 0 km"), "{words:?}");
    assert_eq!(list["criteria"].as_array().unwrap().len(), 2);
    // IMD 2025, the boundaries and both Social Value Model editions.
    assert_eq!(
        list["sources"].as_array().unwrap().len(),
        4,
        "{}",
        list["sources"]
    );
    assert_eq!(list["formula"].as_array().unwrap().len(), 4);

    // Without area data or boundaries the ranking still answers and says what it left out.
    let plain = t.plain_router();
    let bare = expect(&plain, Method::GET, &uri, &w.buyer_viewer, None, 200)
        .await
        .json();
    let left_out: Vec<&str> = strings(&bare["unavailable"], "factor");
    assert_eq!(left_out, ["need", "distance"]);
    let top: Vec<f64> = bare["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["score"].as_f64().unwrap())
        .collect();
    assert_eq!(top, [100.0, 100.0, 50.0], "causes alone carry the weight");
    t.finish().await;
}

backends_test!(
    suppliers_pledge_report_and_only_confirmed_delivery_counts,
    |t| {
        let (app, w) = (&t.app, &t.people);
        let (tender, contract, profile) = awarded_with_hub(&t).await;
        // Supplier A's own profile is left out of its contract's matches.
        register(
            app,
            &w.supplier_editor,
            profile_json("Supplier A Trust", &["E06000026"], &["MAC 2.2"], true),
        )
        .await;
        let need = t
            .post(
                &w.vcse_editor,
                &format!("/api/v1/partners/{profile}/needs"),
                need_json(),
                201,
            )
            .await
            .json()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let matches = t
            .get(
                &w.supplier_editor,
                &format!("/api/v1/contracts/{contract}/partner-matches"),
                200,
            )
            .await
            .json();
        let ranked: Vec<&str> = matches["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["profile"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(ranked, ["Plymouth Skills Hub"], "{}", t.label);
        // On the tender too, the supplier's own profile is left out for the supplier only.
        let names_for = |who: &Persona| {
            let (t, uri, who) = (
                &t,
                format!("/api/v1/tenders/{tender}/partner-matches"),
                who.clone(),
            );
            async move {
                let list = t.get(&who, &uri, 200).await.json();
                list["matches"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["profile"]["name"].as_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(names_for(&w.supplier_editor).await, ["Plymouth Skills Hub"]);
        assert_eq!(names_for(&w.buyer_viewer).await.len(), 2, "{}", t.label);
        assert_eq!(matches["tender_id"], json!(tender));
        assert_eq!(matches["matches"][0]["open_needs"][0]["id"], json!(need));
        t.get(
            &w.vcse_admin,
            &format!("/api/v1/contracts/{contract}/partner-matches"),
            404,
        )
        .await;

        let pledges = format!("/api/v1/contracts/{contract}/pledges");
        let body = json!({"profile_id": profile, "need_id": need, "quantity": 40,
            "description": "Staff mentors, two hours a week", "due_date": "2027-12-31"});
        // Only the supplier's editors pledge; the buyer and viewers cannot, strangers see nothing.
        t.post(&w.supplier_viewer, &pledges, body.clone(), 403)
            .await;
        t.post(&w.buyer_editor, &pledges, body.clone(), 403).await;
        t.post(&w.outsider, &pledges, body.clone(), 404).await;
        t.post(&w.vcse_admin, &pledges, body.clone(), 404).await;
        let mut blank = body.clone();
        blank["description"] = json!(" ");
        t.post(&w.supplier_editor, &pledges, blank, 422).await;
        let mut other = body.clone();
        other["need_id"] = json!(Uuid::new_v4());
        t.post(&w.supplier_editor, &pledges, other, 404).await;
        let pledge = t.post(&w.supplier_editor, &pledges, body, 201).await.json();
        assert_eq!(pledge["status"], "pledged", "{}", t.label);
        assert_eq!(pledge["need"]["unit"], "volunteer hours");
        assert_eq!(pledge["counts"], false);
        let id = pledge["id"].as_str().unwrap().to_owned();
        let one = format!("/api/v1/pledges/{id}");
        // The three sides see it; nobody else.
        for who in [&w.supplier_viewer, &w.buyer_viewer, &w.vcse_viewer] {
            t.get(who, &one, 200).await;
        }
        t.get(&w.outsider, &one, 404).await;
        t.get(&w.other_vcse, &one, 404).await;
        let listed = t
            .get(
                &w.vcse_viewer,
                &format!("/api/v1/partners/{profile}/pledges"),
                200,
            )
            .await
            .json();
        assert_eq!(listed["pledges"].as_array().unwrap().len(), 1);
        t.get(
            &w.supplier_editor,
            &format!("/api/v1/partners/{profile}/pledges"),
            404,
        )
        .await;
        let on_contract = t.get(&w.buyer_viewer, &pledges, 200).await.json();
        assert_eq!(on_contract["pledges"][0]["id"], json!(id));

        // Nothing to review before delivery is reported.
        let review = format!("{one}/review");
        t.post(&w.vcse_editor, &review, json!({"decision": "confirm"}), 409)
            .await;
        let delivery = format!("{one}/delivery");
        let report = json!({"quantity": 20, "delivered_on": "2025-06-30",
            "evidence_link": "https://evidence.example/log.pdf", "note": "Mentoring log"});
        t.post(&w.vcse_editor, &delivery, report.clone(), 403).await;
        t.post(&w.supplier_viewer, &delivery, report.clone(), 403)
            .await;
        let mut future = report.clone();
        future["delivered_on"] = json!("2999-01-01");
        let refused = t.post(&w.supplier_editor, &delivery, future, 422).await;
        assert_eq!(refused.json()["error"]["field"], "delivered_on");
        let reported = t
            .post(&w.supplier_editor, &delivery, report, 200)
            .await
            .json();
        assert_eq!(reported["status"], "reported");
        // The VCSE's editors answer; the supplier and viewers cannot; a query needs a note.
        t.post(
            &w.supplier_editor,
            &review,
            json!({"decision": "confirm"}),
            403,
        )
        .await;
        t.post(&w.vcse_viewer, &review, json!({"decision": "confirm"}), 403)
            .await;
        t.post(&w.vcse_editor, &review, json!({"decision": "query"}), 422)
            .await;
        let queried = t
            .post(
                &w.vcse_editor,
                &review,
                json!({"decision": "query", "note": "The log shows 16 hours"}),
                200,
            )
            .await
            .json();
        assert_eq!(queried["status"], "queried");
        let shown = anonymous(app, Method::GET, &format!("/api/v1/partners/{profile}"))
            .await
            .json();
        assert_eq!(
            shown["needs"][0]["progress"]["confirmed"], 0.0,
            "{}",
            t.label
        );
        assert_eq!(shown["needs"][0]["progress"]["unconfirmed"], 20.0);
        let corrected = json!({"quantity": 16, "delivered_on": "2025-06-30", "note": "Corrected"});
        t.post(&w.supplier_editor, &delivery, corrected, 200).await;
        let confirmed = t
            .post(&w.vcse_admin, &review, json!({"decision": "confirm"}), 200)
            .await
            .json();
        assert_eq!(confirmed["status"], "confirmed", "{}", t.label);
        assert_eq!(confirmed["counts"], true);
        assert_eq!(confirmed["reviewed_by"], "admin@hub.example");
        // Confirmed is final; the totals count it.
        t.post(
            &w.supplier_editor,
            &delivery,
            json!({"quantity": 30, "delivered_on": "2025-07-01"}),
            409,
        )
        .await;
        let shown = anonymous(app, Method::GET, &format!("/api/v1/partners/{profile}"))
            .await
            .json();
        let progress = &shown["needs"][0]["progress"];
        assert_eq!(
            (
                progress["pledges"].clone(),
                progress["pledged"].clone(),
                progress["confirmed"].clone(),
                progress["unconfirmed"].clone()
            ),
            (json!(1), json!(40.0), json!(16.0), json!(0.0)),
            "{}",
            t.label
        );
        // A closed need takes no new pledges.
        let mut closed = need_json();
        closed["open"] = json!(false);
        t.put(
            &w.vcse_editor,
            &format!("/api/v1/partners/{profile}/needs/{need}"),
            closed,
            200,
        )
        .await;
        t.post(
            &w.supplier_editor,
            &pledges,
            json!({"profile_id": profile, "need_id": need, "description": "More"}),
            409,
        )
        .await;
        // The audit logs of both sides hold the pledge's steps.
        for org in [
            w.supplier_editor.organisation_id,
            w.vcse_admin.organisation_id,
        ] {
            let trail: Vec<(String, String)> = t
                .store
                .audit_for_organisation(&org.to_string(), 200)
                .await
                .unwrap()
                .into_iter()
                .filter(|e| e.entity == "partner_pledge")
                .map(|e| (e.action, e.entity_id))
                .collect();
            for action in ["create", "report", "review"] {
                assert!(
                    trail.iter().any(|(a, e)| a == action && *e == id),
                    "{}: {action} {trail:?}",
                    t.label
                );
            }
        }
    }
);
