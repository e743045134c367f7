//! The partner directory pages: the public directory and its downloads, registering and
//! editing a profile through the forms with GOV.UK error summaries, the ranked partners of a
//! tender and contract, and the pledge, delivery and confirmation forms; other organisations
//! see nothing private.

use axum::http::StatusCode;

use crate::accounts::accounts_web::location;
use crate::partners::partners_api::{awarded_with_hub, profile_json, register};
use crate::platform::helpers::{assert_contains, get, get_ok};

/// One h1, and headings that never skip a level.
fn assert_headings(html: &str) {
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    let mut last = 1;
    for (i, _) in html.match_indices("<h") {
        let level = html[i + 2..].chars().next().and_then(|c| c.to_digit(10));
        if let Some(level) = level {
            assert!(
                level <= last + 1,
                "h{level} after h{last} at {}",
                &html[i..(i + 80).min(html.len())]
            );
            last = level;
        }
    }
}

/// Every visible form field has a label.
fn assert_labelled(html: &str) {
    for tag in ["<input", "<select", "<textarea"] {
        for (i, _) in html.match_indices(tag) {
            let end = html[i..].find('>').map_or(html.len(), |e| i + e);
            let element = &html[i..end];
            if element.contains("type=\"hidden\"") || element.contains("type=\"search\"") {
                continue;
            }
            let id = element
                .split("id=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_else(|| panic!("field without id: {element}"));
            assert!(
                html.contains(&format!("for=\"{id}\"")),
                "no label for #{id}: {element}"
            );
        }
    }
}

backends_test!(
    the_public_directory_lists_published_profiles_and_downloads_them,
    |t| {
        let (app, w) = (&t.app, &t.people);
        register(
            app,
            &w.vcse_admin,
            profile_json("Plymouth Skills Hub", &["E06000026"], &["MAC 2.2"], true),
        )
        .await;
        register(
            app,
            &w.other_vcse,
            profile_json("Hidden Food Bank", &["E06000026"], &["MAC 8.1"], false),
        )
        .await;
        let page = get(app, "/partners").await;
        assert_eq!(page.status, StatusCode::OK, "{}", t.label);
        let html = page.text();
        assert_headings(&html);
        assert_labelled(&html);
        assert!(html.contains("Plymouth Skills Hub"), "{}", t.label);
        assert!(
            !html.contains("Hidden Food Bank"),
            "{}: unpublished stays hidden",
            t.label
        );
        assert!(html.contains("1 organisation found"));
        assert!(html.contains("Sign in to register your organisation"));
        // Search by cause through the form's parameters.
        let none = get(app, "/partners?cause=MAC%208.1").await.text();
        assert!(none.contains("0 organisations found") && !none.contains("Hidden Food Bank"));
        // A bad search value: 422 with a GOV.UK error summary linking to the field.
        let html = get(app, "/partners?place=not-a-code")
            .await
            .text_if(StatusCode::UNPROCESSABLE_ENTITY, "html");
        assert_contains(&html, &["govuk-error-summary", "href=\"#place\""]);
        assert!(html.contains("<title>Error: "));
        // Downloads carry the list with its notes.
        let text = get_ok(app, "/partners?cause=MAC%202.2&format=csv").await;
        assert!(
            text.starts_with("# Voluntary and community partners"),
            "{text}"
        );
        assert!(text.contains("Plymouth Skills Hub") && text.contains("1123456"));
        assert_contains(&text, &["# Note: Searched for cause MAC 2.2"]);
        assert!(!text.contains("Hidden Food Bank"));
        let xlsx = get(app, "/partners?format=xlsx").await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.body.starts_with(b"PK"), "an XLSX file is a zip");
        let json = get(app, "/partners?format=json").await.json();
        assert_eq!(json["rows"].as_array().unwrap().len(), 1);
        // Signed in, a VCSE member sees their profile; the other sees theirs (unpublished).
        let mut other = t.signed_in(&w.other_vcse).await;
        let mine = other.get("/partners").await.text();
        assert!(
            mine.contains("Your organisation's profile: Hidden Food Bank"),
            "{}",
            t.label
        );
    }
);

backends_test!(
    a_vcse_registers_edits_and_lists_needs_through_the_forms,
    |t| {
        let (app, w) = (&t.app, &t.people);
        let mut editor = t.signed_in(&w.vcse_editor).await;
        let form = editor.get_is("/partners/new", 200).await;
        let html = form.text();
        assert_headings(&html);
        assert_labelled(&html);
        assert!(html.contains("id=\"f-causes\"") && html.contains("Bristol Accord"));
        let fields = [
            ("name", "Plymouth Skills Hub"),
            ("charity_number", "12"),
            ("areas", "E06000026"),
            ("causes", "MAC 2.2"),
            ("causes", "thriving"),
            ("offers", "Work placements\nMentoring"),
            ("published", "yes"),
        ];
        // A bad charity number: 422, the form again with the error summary and the values.
        let refused = editor.post("/partners", &fields).await;
        let html = refused.text_if(StatusCode::UNPROCESSABLE_ENTITY, t.label);
        assert_contains(&html, &["href=\"#f-charity_number\""]);
        assert!(html.contains("id=\"f-charity_number-error\""));
        assert!(html.contains("value=\"Plymouth Skills Hub\""));
        assert_headings(&html);
        let mut good = fields.to_vec();
        good[1] = ("charity_number", "SC012345");
        let created = editor.post("/partners", &good).await;
        created.text_if(StatusCode::SEE_OTHER, t.label);
        let profile = location(&created).to_owned();
        assert!(profile.starts_with("/partners/"));
        let html = get_ok(app, &profile).await;
        assert_headings(&html);
        assert!(html.contains("SC012345") && html.contains("oscr.org.uk"));
        assert!(html.contains("MAC 2.2 (Social Value Model 2020)"));
        assert!(html.contains("Bristol Accord: Thriving"));
        assert!(!html.contains("edit-link"), "visitors get no edit link");
        // A second registration for the same organisation is refused.
        editor.expecting(409).post("/partners", &good).await;
        // Needs from the edit page.
        let edit = format!("{profile}/edit");
        let page = editor.get_is(&edit, 200).await;
        assert_headings(&page.text());
        assert_labelled(&page.text());
        let bad_need = editor
            .post(
                &format!("{profile}/needs"),
                &[
                    ("kind", "volunteers"),
                    ("description", ""),
                    ("quantity", "lots"),
                ],
            )
            .await;
        let html = bad_need.text_if(StatusCode::UNPROCESSABLE_ENTITY, "bad_need");
        assert_contains(
            &html,
            &["href=\"#n-new-quantity\"", "href=\"#n-new-description\""],
        );
        editor
            .expecting(303)
            .post(
                &format!("{profile}/needs"),
                &[
                    ("kind", "goods"),
                    ("description", "Ten laptops"),
                    ("quantity", "10"),
                    ("unit", "laptops"),
                ],
            )
            .await;
        let shown = get(app, &profile).await.text();
        assert!(
            shown.contains("Ten laptops") && shown.contains("10 laptops"),
            "{}",
            t.label
        );
        // Unpublishing hides it from visitors.
        let mut hidden: Vec<(&str, &str)> = good
            .iter()
            .filter(|(k, _)| *k != "published")
            .copied()
            .collect();
        hidden[1] = ("charity_number", "SC012345");
        editor.expecting(303).post(&edit, &hidden).await;
        assert_eq!(
            get(app, &profile).await.status,
            StatusCode::NOT_FOUND,
            "{}",
            t.label
        );
        assert!(
            editor
                .get(&profile)
                .await
                .text()
                .contains("This profile is not published")
        );
        // Other organisations cannot edit (404); viewers may not (403).
        let mut outsider = t.signed_in(&w.outsider).await;
        outsider.get_is(&edit, 404).await;
        outsider.expecting(404).post(&edit, &good).await;
        outsider.get_is(&profile, 404).await;
        let mut viewer = t.signed_in(&w.vcse_viewer).await;
        viewer.get_is(&edit, 403).await;
        viewer.get_is(&profile, 200).await;
    }
);

backends_test!(
    a_supplier_pledges_and_reports_and_the_vcse_confirms_through_the_pages,
    |t| {
        let (app, w) = (&t.app, &t.people);
        let (tender, contract, profile) = awarded_with_hub(&t).await;
        let mut vcse = t.signed_in(&w.vcse_editor).await;
        vcse.post(
            &format!("/partners/{profile}/needs"),
            &[
                ("kind", "volunteers"),
                ("description", "Mentors"),
                ("quantity", "200"),
            ],
        )
        .await;
        let need = t.store.needs_of(profile.parse().unwrap()).await.unwrap()[0].id;

        // The buyer sees the tender's ranked partners; strangers see nothing.
        let mut buyer = t.signed_in(&w.buyer_viewer).await;
        let page = buyer
            .get_is(&format!("/tenders/{tender}/partners"), 200)
            .await;
        let html = page.text();
        assert_headings(&html);
        assert!(html.contains("Plymouth Skills Hub") && html.contains("How the ranking works"));
        assert!(
            html.contains("Left out of every score here"),
            "no area data in this app"
        );
        assert!(!html.contains("Pledge support"), "the buyer cannot pledge");
        let mut outsider = t.signed_in(&w.outsider).await;
        for theirs in [
            format!("/tenders/{tender}/partners"),
            format!("/contracts/{contract}/partners"),
        ] {
            outsider.get_is(&theirs, 404).await;
        }
        let csv = buyer
            .get(&format!("/tenders/{tender}/partners?format=csv"))
            .await
            .text();
        assert_contains(&csv, &["Plymouth Skills Hub", "# Note: Score out of 100"]);

        // The supplier pledges from its contract's page.
        let mut supplier = t.signed_in(&w.supplier_editor).await;
        let uri = format!("/contracts/{contract}/partners");
        let html = supplier.get_is(&uri, 200).await.text();
        assert_headings(&html);
        assert_labelled(&html);
        assert!(html.contains("Pledge support to a need"));
        let choice = format!("{profile}:{need}");
        let refused = supplier
            .post(
                &format!("/contracts/{contract}/pledges"),
                &[
                    ("need", choice.as_str()),
                    ("description", ""),
                    ("due_date", "2027-02-30"),
                ],
            )
            .await;
        let html = refused.text_if(StatusCode::UNPROCESSABLE_ENTITY, t.label);
        assert_contains(&html, &["href=\"#p-description\"", "href=\"#p-due_date\""]);
        supplier
            .expecting(303)
            .post(
                &format!("/contracts/{contract}/pledges"),
                &[
                    ("need", choice.as_str()),
                    ("quantity", "40"),
                    ("description", "Staff mentors"),
                    ("due_date", "2027-12-31"),
                ],
            )
            .await;
        let pledge = t.store.pledges_of_contract(contract).await.unwrap()[0].id;
        // The supplier's viewer may not pledge.
        let mut viewer = t.signed_in(&w.supplier_viewer).await;
        viewer
            .expecting(403)
            .post(
                &format!("/contracts/{contract}/pledges"),
                &[("need", choice.as_str()), ("description", "x")],
            )
            .await;

        // Delivery: a future date is refused beside the field, then reported.
        let delivery = format!("/pledges/{pledge}/delivery");
        let bad = supplier
            .expecting(422)
            .post(
                &delivery,
                &[("quantity", "16"), ("delivered_on", "2999-01-01")],
            )
            .await;
        assert!(
            bad.text()
                .contains(&format!("href=\"#d-{pledge}-delivered_on\"")),
            "{}",
            bad.text()
        );
        supplier
            .expecting(303)
            .post(
                &delivery,
                &[
                    ("quantity", "16"),
                    ("delivered_on", "2025-06-30"),
                    ("evidence_link", "https://evidence.example/log.pdf"),
                ],
            )
            .await;
        vcse.expecting(403)
            .post(
                &delivery,
                &[("quantity", "1"), ("delivered_on", "2025-06-30")],
            )
            .await;

        // The VCSE answers on its profile page.
        let page = vcse.get(&format!("/partners/{profile}")).await;
        let html = page.text();
        assert_contains(
            &html,
            &[
                "Pledges to your needs",
                "Did Supplier A deliver 16 volunteer hours",
            ],
        );
        assert_labelled(&html);
        let review = format!("/pledges/{pledge}/review");
        let bad = vcse
            .expecting(422)
            .post(&review, &[("decision", "query"), ("note", "")])
            .await;
        assert!(bad.text().contains(&format!("href=\"#r-{pledge}-note\"")));
        supplier
            .expecting(403)
            .post(&review, &[("decision", "confirm")])
            .await;
        vcse.expecting(303)
            .post(&review, &[("decision", "confirm")])
            .await;
        let public = get(app, &format!("/partners/{profile}")).await.text();
        assert!(
            public.contains("16 volunteer hours"),
            "{}: confirmed delivery is shown",
            t.label
        );
        assert!(
            !public.contains("Pledges to your needs"),
            "visitors do not see the pledges"
        );
        let contract_page = supplier.get(&uri).await.text();
        assert!(contract_page.contains("Delivery confirmed"), "{}", t.label);
        // Confirmed is final.
        supplier
            .expecting(409)
            .post(
                &delivery,
                &[("quantity", "20"), ("delivered_on", "2025-07-01")],
            )
            .await;
    }
);
