//! Census 2021 tables, population estimates, ONS Health Index and the composite UK IMD.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::table::Table;
use super::{ColumnBuilder, DatasetBundle, IngestError, read_wide};
use crate::catalog::{Indicator, slug};
use crate::geography::AreaType;

/// Census tables: (file, table id, title, category column, total column).
const CENSUS_TABLES: [(&str, &str, &str, &str, &str); 4] = [
    (
        "ts038_disability_lsoa21.csv.gz",
        "ts038",
        "Disability",
        "disability",
        "total_residents",
    ),
    (
        "ts011_household_deprivation_dimensions_lsoa21.csv.gz",
        "ts011",
        "Households by deprivation dimensions",
        "deprivation_dimensions",
        "total_households",
    ),
    (
        "ts054_household_tenure_lsoa21.csv.gz",
        "ts054",
        "Tenure",
        "tenure",
        "total_households",
    ),
    (
        "ts052_occupancy_rating_bedrooms_lsoa21.csv.gz",
        "ts052",
        "Occupancy rating for bedrooms",
        "occupancy_rating",
        "total_households",
    ),
];

/// Deprivation direction of a census category share.
fn census_direction(table: &str, category: &str) -> Option<bool> {
    match table {
        "ts038" => Some(!category.starts_with("not_")),
        "ts011" => Some(!category.contains("not_deprived")),
        "ts052" if category.starts_with("minus") => Some(true),
        "ts052" if category.starts_with("plus") => Some(false),
        _ => None,
    }
}

/// Census 2021: for each table and category, the share of the table total (`census2021.<table>.<category>`),
/// the count (`..._count`) and the table total (`census2021.<table>.total_residents|total_households`).
pub fn census2021(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("census2021")?;
    let mut builder = ColumnBuilder::new();
    for (file, table_id, title, category_col, total_col) in CENSUS_TABLES {
        let mut t = Table::open(
            data_dir,
            &format!("census2021_lsoa21_selected_tables/{file}"),
        )?;
        let (code, cat, n, total) = (
            t.col("lsoa21_code")?,
            t.col(category_col)?,
            t.col("n")?,
            t.col(total_col)?,
        );
        let total_slot = builder.add(Indicator::new(
            "census2021",
            table_id,
            total_col,
            format!("{title}: {}", total_col.replace('_', " ")),
            "persons",
            AreaType::Lsoa21,
            None,
            format!(
                "Census 2021 {} table total (usual residents or households).",
                table_id.to_uppercase()
            ),
        ));
        let mut slots: HashMap<String, (usize, usize)> = HashMap::new();
        // Rows come grouped by area: track the categories of the current area and the finished areas.
        let mut finished: HashSet<String> = HashSet::new();
        let mut current = String::new();
        let mut current_slots: Vec<usize> = Vec::new();
        while t.next_record()? {
            let area = t.required_text(code)?;
            let category = t.required_text(cat)?;
            let (share_slot, count_slot) = match slots.get(category) {
                Some(s) => *s,
                None => {
                    let s = slug(category);
                    let dir = census_direction(table_id, &s);
                    let share = builder.add(Indicator::new(
                        "census2021",
                        table_id,
                        &s,
                        format!("{title}: {category} (share)"),
                        "proportion",
                        AreaType::Lsoa21,
                        dir,
                        format!(
                            "Census 2021 {}: share of the table total in category \"{category}\".",
                            table_id.to_uppercase()
                        ),
                    ));
                    let count = builder.add(Indicator::new(
                        "census2021",
                        table_id,
                        &format!("{s}_count"),
                        format!("{title}: {category} (count)"),
                        "count",
                        AreaType::Lsoa21,
                        None,
                        format!(
                            "Census 2021 {}: count in category \"{category}\".",
                            table_id.to_uppercase()
                        ),
                    ));
                    slots.insert(category.to_owned(), (share, count));
                    (share, count)
                }
            };
            let new_area = area != current;
            if new_area {
                if finished.contains(area) {
                    return Err(t.error(code, format!("rows for {area} are not contiguous")));
                }
                finished.insert(std::mem::replace(&mut current, area.to_owned()));
                current_slots.clear();
            }
            if current_slots.contains(&share_slot) {
                return Err(t.error(cat, format!("duplicate row for {area} / {category}")));
            }
            current_slots.push(share_slot);
            let count = t.number(n)?;
            let tot = t.number(total)?;
            builder.push(count_slot, area, count);
            builder.push(
                share_slot,
                area,
                if tot > 0.0 { count / tot } else { f64::NAN },
            );
            if new_area {
                builder.push(total_slot, area, tot);
            }
        }
    }
    bundle.absorb(builder);
    Ok(bundle)
}

/// Age bands derived from the single-year columns: (measure, label, first age, last age; 90 = "90+").
const POP_BANDS: [(&str, &str, u32, u32); 6] = [
    ("age_0_15", "Aged 0-15", 0, 15),
    ("age_16_64", "Aged 16-64", 16, 64),
    ("age_65_plus", "Aged 65 and over", 65, 90),
    ("age_60_plus", "Aged 60 and over", 60, 90),
    (
        "age_18_66",
        "Aged 18-66 (IoD2025 working-age definition)",
        18,
        66,
    ),
    ("age_16_59", "Aged 16-59", 16, 59),
];

/// ONS mid-2020 LSOA 2011 population: total and broad age bands.
pub fn pop2020(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("pop2020")?;
    let mut builder = ColumnBuilder::new();
    let mut t = Table::open(
        data_dir,
        "ons_population_estimates_lsoa11_mid2020/population_mid2020_lsoa11_single_year_of_age.csv.gz",
    )?;
    let code = t.col("lsoa11_code")?;
    let total = t.col("total_population")?;
    let mut ages = Vec::with_capacity(91);
    for age in 0..90 {
        ages.push(t.col(&age.to_string())?);
    }
    ages.push(t.col("90+")?);
    let total_slot = builder.add(Indicator::new(
        "pop2020",
        "total",
        "count",
        "Total population (mid-2020)",
        "persons",
        AreaType::Lsoa11,
        None,
        "ONS mid-2020 usual resident population estimate.",
    ));
    let band_slots: Vec<usize> = POP_BANDS
        .iter()
        .map(|(measure, label, ..)| {
            builder.add(Indicator::new(
                "pop2020",
                measure,
                "count",
                format!("{label} (mid-2020)"),
                "persons",
                AreaType::Lsoa11,
                None,
                format!("ONS mid-2020 population estimate, {label}."),
            ))
        })
        .collect();
    let mut seen = HashSet::new();
    let mut by_age = [0.0f64; 91];
    while t.next_record()? {
        let area = t.required_text(code)?;
        if !seen.insert(area.to_owned()) {
            return Err(t.error(code, format!("duplicate area code {area}")));
        }
        for (slot, &col) in by_age.iter_mut().zip(&ages) {
            *slot = t.number(col)?;
        }
        builder.push(total_slot, area, t.number(total)?);
        for ((_, _, from, to), &slot) in POP_BANDS.iter().zip(&band_slots) {
            let sum: f64 = by_age[*from as usize..=*to as usize].iter().sum();
            builder.push(slot, area, sum);
        }
    }
    bundle.absorb(builder);
    Ok(bundle)
}

/// Derived LSOA 2021 population weights (see the `pop2021` dataset description).
pub fn pop2021(
    geography: &DatasetBundle,
    census: &DatasetBundle,
    pop2020: &DatasetBundle,
) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("pop2021")?;
    let column_map = |b: &DatasetBundle, id: &str| -> Result<HashMap<String, f64>, IngestError> {
        let c = b
            .column(id)
            .ok_or_else(|| IngestError::file(&b.dataset.id, format!("missing column {id}")))?;
        Ok(c.codes
            .iter()
            .cloned()
            .zip(c.values.iter().copied())
            .collect())
    };
    let residents = column_map(census, "census2021.ts038.total_residents")?;
    let bands = [
        ("pop2020.total.count", "total", ""),
        (
            "pop2020.age_18_66.count",
            "working_age_18_66",
            "aged 18-66 (IoD2025 Employment domain working age)",
        ),
        ("pop2020.age_0_15.count", "children_0_15", "aged 0-15"),
        (
            "pop2020.age_60_plus.count",
            "older_60_plus",
            "aged 60 and over",
        ),
    ];
    let mid2020: Vec<HashMap<String, f64>> = bands
        .iter()
        .map(|(id, ..)| column_map(pop2020, id))
        .collect::<Result<_, _>>()?;

    // Group 2021 children per 2011 LSOA, then apportion each 2011 count by Census 2021 residents.
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for link in &geography.lsoa_links {
        children
            .entry(link.lsoa11.as_str())
            .or_default()
            .push(link.lsoa21.as_str());
    }
    let mut mapped: HashMap<&str, [f64; 4]> = HashMap::new();
    let mut parents: Vec<&&str> = children.keys().collect();
    parents.sort(); // deterministic summation order
    for l11 in parents {
        let kids = &children[*l11];
        let kid_total: f64 = kids
            .iter()
            .map(|k| residents.get(*k).copied().unwrap_or(0.0))
            .sum();
        for kid in kids {
            let share = if kid_total > 0.0 {
                residents.get(*kid).copied().unwrap_or(0.0) / kid_total
            } else {
                1.0 / kids.len() as f64
            };
            let entry = mapped.entry(kid).or_insert([0.0; 4]);
            for (slot, m) in entry.iter_mut().zip(&mid2020) {
                *slot += m.get(*l11).copied().unwrap_or(f64::NAN) * share;
            }
        }
    }
    let mut builder = ColumnBuilder::new();
    let total_slot = builder.add(Indicator::new(
        "pop2021",
        "total",
        "count",
        "Usual residents (Census 2021)",
        "persons",
        AreaType::Lsoa21,
        None,
        "Census 2021 usual residents (TS038 table total); exact per LSOA 2021.",
    ));
    let band_slots: Vec<usize> = bands[1..]
        .iter()
        .map(|(_, measure, label)| {
            builder.add(Indicator::new(
                "pop2021",
                measure,
                "estimate",
                format!("Residents {label} (estimate)"),
                "persons",
                AreaType::Lsoa21,
                None,
                format!("Census 2021 usual residents x share {label} in ONS mid-2020 LSOA 2011 estimates mapped to LSOA 2021 (sv-atlas estimate)."),
            ))
        })
        .collect();
    let mut codes: Vec<&String> = residents.keys().collect();
    codes.sort();
    for code in codes {
        let r = residents[code];
        builder.push(total_slot, code, r);
        if let Some(m) = mapped.get(code.as_str())
            && m[0] > 0.0
        {
            for (i, &slot) in band_slots.iter().enumerate() {
                builder.push(slot, code, r * m[i + 1] / m[0]);
            }
        }
    }
    bundle.absorb(builder);
    Ok(bundle)
}

/// ONS Health Index: overall, domain and sub-domain scores per year (`healthindex.<domain>.score_<year>`).
pub fn healthindex(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("healthindex")?;
    let mut builder = ColumnBuilder::new();
    for file in [
        "health_index_overall_and_domains_2015_2021.csv",
        "health_index_subdomains.csv",
    ] {
        let mut t = Table::open(data_dir, &format!("ons_health_index_england_ltla21/{file}"))?;
        let code = t.col("ltla21_code")?;
        let year = t.col("year")?;
        let measures: Vec<(usize, String, String)> = t
            .headers()
            .iter()
            .enumerate()
            .filter(|(_, h)| *h != "ltla21_code" && *h != "year")
            .map(|(i, h)| {
                let domain = slug(h.trim_end_matches("_score").trim_end_matches("_domain"));
                let label = if h.contains('_') {
                    h.replace("_domain_score", "")
                        .replace("_score", "")
                        .replace('_', " ")
                } else {
                    h.clone()
                };
                (i, domain, label)
            })
            .collect();
        let mut slots: HashMap<(usize, u16), usize> = HashMap::new();
        let mut seen = HashSet::new();
        while t.next_record()? {
            let area = t.required_text(code)?;
            let y = t.number(year)?;
            if !(2000.0..2100.0).contains(&y) {
                return Err(t.error(year, "year out of range"));
            }
            let y = y as u16;
            if !seen.insert((area.to_owned(), y)) {
                return Err(t.error(code, format!("duplicate row for {area} / {y}")));
            }
            for (m, (col, domain, label)) in measures.iter().enumerate() {
                let slot = match slots.get(&(m, y)) {
                    Some(s) => *s,
                    None => {
                        let s = builder.add(Indicator::new(
                            "healthindex",
                            domain,
                            &format!("score_{y}"),
                            format!("Health Index: {label} ({y})"),
                            "index",
                            AreaType::Lad24,
                            Some(false),
                            "ONS Health Index for England, England 2015 = 100; higher = healthier. LAD 2021 codes.",
                        ));
                        slots.insert((m, y), s);
                        s
                    }
                };
                let v = t.number(*col)?;
                builder.push(slot, area, v);
            }
        }
    }
    bundle.absorb(builder);
    Ok(bundle)
}

/// Composite UK IMD (mySociety): UK-wide score/rank anchored to England (plus the other anchors).
pub fn ukimd(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("ukimd")?;
    let mut builder = ColumnBuilder::new();
    let mixed = "Small areas of all four nations (LSOA 2011 in England and Wales, data zones in Scotland, SOAs in Northern Ireland). Modelled by mySociety; not an official statistic.";
    for nation in ["E", "S", "W", "N"] {
        let mut t = Table::open(
            data_dir,
            &format!("uk_composite_imd_mysociety/UK_IMD_{nation}.csv.gz"),
        )?;
        let code = t.col("lsoa")?;
        let domain = if nation == "E" {
            "composite".to_owned()
        } else {
            format!("composite_{}", nation.to_ascii_lowercase())
        };
        let anchor = match nation {
            "E" => "England (recommended)",
            "S" => "Scotland",
            "W" => "Wales",
            _ => "Northern Ireland",
        };
        let mut columns: Vec<(String, &str, &str, Option<bool>, String)> = vec![
            (
                format!("UK_IMD_{nation}_score"),
                "score",
                "score",
                Some(true),
                format!(
                    "Composite UK deprivation score anchored to {anchor}; higher = more deprived. {mixed}"
                ),
            ),
            (
                format!("UK_IMD_{nation}_rank"),
                "rank",
                "rank",
                Some(false),
                format!(
                    "UK-wide rank of the composite score anchored to {anchor}; 1 = most deprived. {mixed}"
                ),
            ),
        ];
        if nation == "E" {
            columns.push((
                "UK_IMD_E_pop_decile".into(),
                "pop_decile",
                "decile",
                Some(false),
                format!("Population-weighted UK decile; 1 = most deprived. {mixed}"),
            ));
            columns.push((
                "UK_IMD_E_pop_quintile".into(),
                "pop_quintile",
                "quintile",
                Some(false),
                format!("Population-weighted UK quintile; 1 = most deprived. {mixed}"),
            ));
            columns.push((
                "E_expanded_decile".into(),
                "expanded_decile",
                "decile",
                Some(false),
                format!(
                    "English deciles expanded to the other nations; 1 = most deprived. {mixed}"
                ),
            ));
        }
        let mut specs = Vec::new();
        for (header, measure, unit, dir, desc) in columns {
            let col = t.col(&header)?;
            let name = format!("Composite UK IMD ({anchor}) {}", measure.replace('_', " "));
            let slot = builder.add(Indicator::new(
                "ukimd",
                &domain,
                measure,
                name,
                unit,
                AreaType::Lsoa11,
                dir,
                desc,
            ));
            specs.push((col, slot));
        }
        if nation == "E" {
            for (header, measure, unit, dir, desc) in [
                (
                    "original_decile",
                    "decile",
                    "decile",
                    Some(false),
                    "Decile of the small area in its own nation's official index; 1 = most deprived.",
                ),
                (
                    "overall_local_score",
                    "local_score",
                    "score",
                    Some(true),
                    "Score in the nation's own index as used by mySociety (England: official IoD2019 IMD score).",
                ),
            ] {
                let col = t.col(header)?;
                let slot = builder.add(Indicator::new(
                    "ukimd",
                    "original",
                    measure,
                    format!("National index {measure} (as used by the composite)"),
                    unit,
                    AreaType::Lsoa11,
                    dir,
                    desc,
                ));
                specs.push((col, slot));
            }
        }
        read_wide(&mut t, code, &specs, &mut builder)?;
    }
    bundle.absorb(builder);
    Ok(bundle)
}
