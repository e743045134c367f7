//! HTML pages: status, content, attribution.

use axum::http::StatusCode;

use crate::platform::helpers::{get, get_ok};

app_test!(
    home_page_shows_attribution_and_links_to_what_exists,
    |app| {
        let html = get_ok(&app, "/").await;
        assert!(html.contains("<html lang=\"en-GB\""));
        assert!(html.contains("Open Government Licence v3.0"));
        assert!(html.contains("Contains OS data © Crown copyright"));
        for link in [
            "href=\"/developers\"",
            "href=\"/api/v1/openapi.json\"",
            "href=\"/healthz\"",
        ] {
            assert!(html.contains(link), "home page lacks {link}");
        }
        assert!(html.contains("running on sqlite"));
        // Accessibility basics: one h1, a skip link to the main landmark.
        assert_eq!(html.matches("<h1").count(), 1);
        assert!(html.contains("href=\"#main\"") && html.contains("id=\"main\""));
    }
);

app_test!(developers_page_lists_every_documented_route, |app| {
    let html = get(&app, "/developers").await.text();
    let doc = svatlas_web::openapi();
    for path in doc.paths.paths.keys() {
        assert!(
            html.contains(&format!("<code>{path}</code>")),
            "developers page lacks {path}"
        );
    }
});

app_test!(stylesheet_is_served_from_the_binary, |app| {
    let css = get(&app, "/assets/app.css").await;
    css.download("text/css");
    assert!(css.text().contains(".skip-link"));
    assert_eq!(
        get(&app, "/assets/../../etc/passwd").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/assets/nope.js").await.status,
        StatusCode::NOT_FOUND
    );
});

app_test!(developers_page_anchors_each_group_once, |app| {
    let html = get(&app, "/developers").await.text();
    for tag in ["sroi", "system", "pages", "areas"] {
        assert_eq!(
            html.matches(&format!("id=\"{tag}\"")).count(),
            1,
            "anchor {tag}"
        );
    }
});

app_test!(
    navigation_is_grouped_by_job_and_marks_the_current_section,
    |app| {
        let home = get(&app, "/").await.text();
        for label in [
            "Local need",
            "Social value calculator",
            "Commitments",
            "Partners",
        ] {
            assert!(
                home.contains(&format!("<span class=\"nav__label\">{label}")),
                "navigation lacks the {label} group"
            );
        }
        // Every job is live: nothing on the home page is announced as coming.
        assert!(
            !home.contains(">Coming<"),
            "the home page still says Coming"
        );
        for link in [
            "href=\"/projects\"",
            "href=\"/tenders\"",
            "href=\"/partners\"",
        ] {
            assert!(home.contains(link), "home page lacks {link}");
        }
        assert!(
            !home.contains("nav__group--current"),
            "home is in no job's section"
        );
        // A page of one job marks that job's group, and only that one.
        for (path, label) in [
            ("/model", "Commitments"),
            ("/login", "You"),
            ("/partners", "Partners"),
            ("/proxies", "Social value calculator"),
        ] {
            let html = get(&app, path).await.text();
            assert_eq!(html.matches("nav__group--current").count(), 1, "{path}");
            let current = html.split("nav__group--current").nth(1).unwrap();
            assert!(
            current.contains(&format!("<span class=\"nav__label\">{label}<span class=\"govuk-visually-hidden\"> (this section)")),
            "{path} should mark {label}"
        );
        }
    }
);
