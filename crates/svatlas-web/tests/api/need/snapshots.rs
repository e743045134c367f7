//! Snapshots (insta) of page content that is stable because it comes from the shipped official
//! data: a change in the figures or their wording shows up as a reviewed diff
//! (`cargo insta review`), not as a silent change.

use crate::platform::helpers::get;

/// The visible text of an HTML fragment: tags dropped, whitespace collapsed, one line per
/// table row or list item.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' => {
                in_tag = false;
                let name = tag.trim_start_matches('/');
                if name.starts_with("tr") || name.starts_with("li") || name.starts_with("h2") {
                    out.push('\n');
                } else {
                    out.push(' ');
                }
            }
            c if in_tag => tag.push(c),
            c => out.push(c),
        }
    }
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let to = from + html[from..].find(end).unwrap_or_else(|| panic!("no {end}"));
    &html[from..to]
}

area_test!(plymouth_deprivation_table, |app| {
    let html = get(&app, "/areas/E06000026").await.text();
    let section = between(&html, "id=\"deprivation\"", "id=\"map\"");
    insta::assert_snapshot!(visible_text(section));
});

area_test!(most_deprived_districts_iod2025, |app| {
    let html = get(&app, "/rankings?per_page=10").await.text();
    let table = between(&html, "<tbody", "</tbody>");
    insta::assert_snapshot!(visible_text(table));
});

area_test!(compare_download_csv, |app| {
    let csv = get(
        &app,
        "/compare?areas=E06000026,E06000009,E07000089&format=csv",
    )
    .await
    .text();
    insta::assert_snapshot!(csv);
});
