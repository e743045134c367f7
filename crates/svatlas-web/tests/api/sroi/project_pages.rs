//! The calculator workspace pages: start a project, add outcomes and inputs through the forms,
//! read the report, freeze and compare versions; viewers read only, outsiders see nothing.

use axum::http::StatusCode;
use uuid::Uuid;

use crate::accounts::accounts_web::{Browser, location};
use crate::platform::app::{Persona, TestApp};
use crate::platform::helpers::{assert_contains, multipart};

/// Worked example 1 of METHOD.md through the forms (shares as percentages).
pub const OUTCOME: &[(&str, &str)] = &[
    ("description", "Participants into work"),
    ("bristol_accord", "thriving"),
    ("stakeholder", "Participants"),
    ("proxy_id", "custom"),
    ("proxy_gbp", "6,500"),
    ("proxy_unit", "per person"),
    ("proxy_source", "Programme evaluation"),
    ("proxy_price_year", "2026"),
    ("quantity", "20"),
    ("duration_years", "3"),
    ("start_year", "1"),
    ("leakage", "5"),
    ("deadweight", "25"),
    ("displacement", "10"),
    ("attribution", "20"),
    ("dropoff", "30"),
];

pub const INPUT: &[(&str, &str)] = &[
    ("description", "Programme cost"),
    ("category", "cash"),
    ("value", "56884"),
    ("volume", "1"),
    ("year", "0"),
    ("leakage", "25"),
];

/// `editor` starts the project `name` (`mode`, priced in 2026) through the form: its path.
async fn start_project(editor: &mut Browser, name: &str, mode: &str) -> String {
    let fields = [("name", name), ("mode", mode), ("price_base_year", "2026")];
    let created = editor.expecting(303).post("/projects", &fields).await;
    location(&created).to_string()
}

/// `who` signs in and starts a project through the form: the browser and the project's page.
async fn project_by(t: &TestApp, who: &Persona, name: &str, mode: &str) -> (Browser, String) {
    let mut editor = t.signed_in(who).await;
    let project = start_project(&mut editor, name, mode).await;
    (editor, project)
}

/// `editor` adds [`OUTCOME`] to the project at `project`: the project's and outcome's ids.
async fn add_outcome(t: &TestApp, editor: &mut Browser, project: &str) -> (Uuid, Uuid) {
    editor.post(&format!("{project}/outcomes"), OUTCOME).await;
    let id: Uuid = project.trim_start_matches("/projects/").parse().unwrap();
    (
        id,
        t.store.project_contents(id).await.unwrap().outcomes[0].id,
    )
}

backends_test!(
    an_editor_builds_a_project_through_the_forms_and_reads_its_report,
    |t, c| {
        let mut editor = t.signed_in(&c.buyer_editor).await;

        let list = editor.get("/projects").await;
        list.assert_says(200, "Start a project");
        let created = editor
            .post(
                "/projects",
                &[
                    ("name", "Employment programme"),
                    ("mode", "forecast"),
                    ("price_base_year", "2026"),
                    ("areas", "e06000026"),
                ],
            )
            .await;
        created.text_if(StatusCode::SEE_OTHER, t.label);
        let project = location(&created).to_string();
        assert!(project.starts_with("/projects/"));

        editor
            .expecting(303)
            .post(&format!("{project}/outcomes"), OUTCOME)
            .await;
        editor
            .expecting(303)
            .post(&format!("{project}/inputs"), INPUT)
            .await;

        let page = editor.get(&project).await.text();
        assert_contains(&page, &["£2.42 for every £1"]);
        assert!(page.contains("/areas/E06000026"));

        let report = editor
            .get_is(&format!("{project}/report"), 200)
            .await
            .text();
        assert_contains(
            &report,
            &[
                "£2.42 for every £1",
                "Thriving",
                "Programme evaluation",
                "Switching values",
                "Cautious: proxies and quantities 20% lower",
                "id=\"tornado-title\"",
                "£42,663.00",
            ],
        );
        #[cfg(feature = "pdf")]
        {
            let pdf = editor.get_is(&format!("{project}/report.pdf"), 200).await;
            assert!(pdf.body.starts_with(b"%PDF"));
        }

        // Freeze, change, freeze again, compare.
        let frozen = editor
            .expecting(303)
            .post(&format!("{project}/versions"), &[("label", "Board paper")])
            .await;
        assert_eq!(location(&frozen), format!("{project}/versions/1"));
        let mut bigger = INPUT.to_vec();
        bigger[2] = ("value", "80000");
        editor.post(&format!("{project}/inputs"), &bigger).await;
        editor
            .post(&format!("{project}/versions"), &[("label", "")])
            .await;
        let v1 = editor.get(&format!("{project}/versions/1")).await.text();
        assert!(v1.contains("Version 1: Board paper") && v1.contains("£2.42 for every £1"));
        let compare = editor
            .get(&format!("{project}/versions/compare?a=1&b=2"))
            .await;
        let compare = compare.text_if(StatusCode::OK, "compare");
        assert_contains(&compare, &["Changed", "£2.42 for every £1"]);
    }
);

people_test!(
    form_errors_are_shown_beside_fields_and_nothing_is_saved,
    |t, c| {
        let (mut editor, project) = project_by(&t, &c.buyer_editor, "P", "evaluative").await;
        let mut bad = OUTCOME.to_vec();
        bad[12] = ("deadweight", "125");
        bad[8] = ("quantity", "lots");
        let answer = editor.post(&format!("{project}/outcomes"), &bad).await;
        let page = answer.text_if(StatusCode::UNPROCESSABLE_ENTITY, "answer");
        assert!(page.contains("There is a problem"));
        assert_contains(
            &page,
            &[
                "href=\"#o-deadweight\"",
                "Deadweight must be a percentage from 0 to 100",
            ],
        );
        assert!(page.contains("href=\"#o-quantity\""));
        assert!(
            page.contains("value=\"Participants into work\""),
            "typed values are kept"
        );
        let missing_name = editor
            .post(
                "/projects",
                &[
                    ("name", " "),
                    ("mode", "forecast"),
                    ("price_base_year", "2026"),
                ],
            )
            .await;
        missing_name.assert_says(422, "href=\"#p-name\"");
        let project_id = project.trim_start_matches("/projects/");
        let stored = t
            .store
            .project_contents(project_id.parse().unwrap())
            .await
            .unwrap();
        assert!(stored.outcomes.is_empty());
    }
);

people_test!(
    viewers_read_outsiders_see_nothing_and_anonymous_people_sign_in_first,
    |t| {
        let (app, c) = (&t.app, &t.people);
        let (mut editor, project) =
            project_by(&t, &c.buyer_editor, "Secret plan", "forecast").await;
        editor.post(&format!("{project}/outcomes"), OUTCOME).await;

        let mut viewer = t.signed_in(&c.buyer_viewer).await;
        let page = viewer.get_is(&project, 200).await;
        assert!(
            !page.text().contains("Add an outcome"),
            "viewers get no edit forms"
        );
        viewer
            .expecting(403)
            .post(&format!("{project}/outcomes"), OUTCOME)
            .await;

        let mut outsider = t.signed_in(&c.outsider).await;
        for path in [
            project.clone(),
            format!("{project}/report"),
            format!("{project}/report.pdf"),
        ] {
            let answer = outsider.get_is(&path, 404).await;
            assert!(!answer.text().contains("Secret plan"));
        }
        outsider
            .expecting(404)
            .post(&format!("{project}/inputs"), INPUT)
            .await;
        assert!(
            !outsider
                .get("/projects")
                .await
                .text()
                .contains("Secret plan")
        );

        let anonymous = crate::platform::helpers::get(app, &project).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert!(location(&anonymous).starts_with("/login?next="));
    }
);

people_test!(
    projects_are_duplicated_archived_and_entries_edited_and_deleted,
    |t, c| {
        let (mut editor, project) = project_by(&t, &c.buyer_admin, "Original", "forecast").await;
        let (id, outcome_id) = add_outcome(&t, &mut editor, &project).await;

        let edit = editor
            .get_is(&format!("{project}/outcomes/{outcome_id}"), 200)
            .await;
        assert!(
            edit.text().contains("value=\"25\""),
            "deadweight shown as a percentage"
        );
        let mut changed = OUTCOME.to_vec();
        changed[8] = ("quantity", "40");
        editor
            .expecting(303)
            .post(&format!("{project}/outcomes/{outcome_id}"), &changed)
            .await;
        assert_eq!(
            t.store.project_contents(id).await.unwrap().outcomes[0]
                .entry
                .quantity,
            40.0
        );

        let copy = editor
            .post(&format!("{project}/duplicate"), &[("name", "")])
            .await;
        let copy_path = location(&copy).to_string();
        assert_ne!(copy_path, project);
        assert!(
            editor
                .get(&copy_path)
                .await
                .text()
                .contains("Copy of Original")
        );

        editor
            .post(&format!("{project}/archive"), &[("action", "archive")])
            .await;
        let list = editor.get("/projects").await.text();
        assert!(
            !list.contains(">Original<"),
            "archived projects leave the default list"
        );
        assert!(
            editor
                .get("/projects?archived=true")
                .await
                .text()
                .contains(">Original<")
        );

        editor
            .expecting(303)
            .post(&format!("{project}/outcomes/{outcome_id}/delete"), &[])
            .await;
        assert!(
            t.store
                .project_contents(id)
                .await
                .unwrap()
                .outcomes
                .is_empty()
        );
        editor
            .expecting(404)
            .post(&format!("{project}/outcomes/{outcome_id}/delete"), &[])
            .await;
    }
);

people_test!(
    the_proxy_library_is_public_and_own_proxies_join_the_project_choice,
    |t| {
        let (app, c) = (&t.app, &t.people);
        let library = crate::platform::helpers::get(app, "/proxies?q=robbery").await;
        let text = library.text_if(StatusCode::OK, "library");
        assert!(text.contains("HO-ROBBERY") && !text.contains("HO-BURG-DOM"));
        assert!(text.contains("OGL v3.0"));

        let mut editor = t.signed_in(&c.buyer_editor).await;
        editor
            .expecting(303)
            .post(
                "/proxies/own",
                &[
                    (
                        "organisation_id",
                        &c.buyer_editor.organisation_id.to_string(),
                    ),
                    ("name", "One avoided A&E attendance"),
                    ("bristol_accord", "well_served"),
                    ("value_gbp", "£250"),
                    ("unit", "per attendance"),
                    ("price_year", "2025"),
                    ("source_title", "Trust finance team"),
                ],
            )
            .await;
        let project = start_project(&mut editor, "P", "forecast").await;
        let page = editor.get(&project).await.text();
        let offered = page
            .lines()
            .find(|l| l.contains("avoided"))
            .unwrap_or_default()
            .to_string();
        assert!(
            page.contains("One avoided A&#38;E attendance – £250.00 per attendance"),
            "own proxy offered: {offered}"
        );
        let mut outsider = t.signed_in(&c.outsider).await;
        assert!(
            !outsider
                .get("/proxies/own")
                .await
                .text()
                .contains("One avoided A")
        );
    }
);

people_test!(
    evidence_files_are_checked_stored_and_kept_inside_the_organisation,
    |t, c| {
        let (mut editor, project) =
            project_by(&t, &c.buyer_editor, "Evaluation", "evaluative").await;
        let (id, outcome_id) = add_outcome(&t, &mut editor, &project).await;
        let target = format!("{project}/outcomes/{outcome_id}/evidence");

        let pdf = b"%PDF-1.4\nattendance register".to_vec();
        let stored = editor.send(multipart(&target, "register.pdf", &pdf)).await;
        stored.text_if(StatusCode::SEE_OTHER, "stored");
        let edit = editor
            .get(&format!("{project}/outcomes/{outcome_id}"))
            .await
            .text();
        assert!(edit.contains("register.pdf"));
        let file = t.store.evidence_of(id).await.unwrap().remove(0);
        let download = editor
            .get_is(&format!("{project}/evidence/{}", file.id), 200)
            .await;
        assert_eq!(download.body, pdf);
        assert_eq!(download.headers["content-type"], "application/pdf");
        assert!(
            download.headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        assert_eq!(download.headers["x-content-type-options"], "nosniff");

        for (name, bytes, status) in [
            (
                "page.html",
                b"<script>alert(1)</script>".to_vec(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                "fake.pdf",
                b"MZ\x90\x00 not a pdf".to_vec(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                "huge.txt",
                vec![b'a'; 6 * 1024 * 1024],
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
        ] {
            let answer = editor.send(multipart(&target, name, &bytes)).await;
            assert_eq!(
                answer.status,
                status,
                "{name}: {}",
                answer.text().chars().take(300).collect::<String>()
            );
        }
        assert_eq!(
            t.store.evidence_of(id).await.unwrap().len(),
            1,
            "refused files are not stored"
        );

        let mut viewer = t.signed_in(&c.buyer_viewer).await;
        assert_eq!(
            viewer.send(multipart(&target, "x.pdf", &pdf)).await.status,
            StatusCode::FORBIDDEN
        );
        viewer
            .get_is(&format!("{project}/evidence/{}", file.id), 200)
            .await;
        let mut outsider = t.signed_in(&c.outsider).await;
        outsider
            .get_is(&format!("{project}/evidence/{}", file.id), 404)
            .await;
        assert_eq!(
            outsider
                .send(multipart(&target, "x.pdf", &pdf))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
);
