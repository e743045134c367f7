//! Geography lookups: areas, hierarchy, LSOA 2011 <-> 2021 links, LAD code history, classes.

use std::collections::HashMap;
use std::path::Path;

use super::table::Table;
use super::{DatasetBundle, IngestError};
use crate::geography::{Area, AreaClass, AreaType, ChangeCode, LadLineage, LadYearCode, LsoaLink};

const ENGLAND: &str = "E92000001";
const WALES: &str = "W92000004";
const SCOTLAND: &str = "S92000003";
const NORTHERN_IRELAND: &str = "N92000002";

/// Collects areas keyed by `(type, code)`, first occurrence wins.
struct AreaSet {
    areas: Vec<Area>,
    seen: HashMap<(AreaType, String), usize>,
}

impl AreaSet {
    fn add(&mut self, area_type: AreaType, code: &str, name: &str, parents: &[&str]) {
        let key = (area_type, code.to_owned());
        if self.seen.contains_key(&key) {
            return;
        }
        self.seen.insert(key, self.areas.len());
        self.areas.push(Area {
            code: code.to_owned(),
            name: name.to_owned(),
            area_type,
            parent_codes: parents
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| (*p).to_owned())
                .collect(),
        });
    }
}

fn nation_of(code: &str) -> &'static str {
    match code.as_bytes().first() {
        Some(b'W') => WALES,
        Some(b'S') => SCOTLAND,
        Some(b'N') | Some(b'9') => NORTHERN_IRELAND,
        _ => ENGLAND,
    }
}

/// Read `code -> (region code, region name)` from an LTLA-to-region lookup.
fn regions(
    data_dir: &Path,
    file: &str,
    lad_col: &str,
    set: &mut AreaSet,
) -> Result<HashMap<String, String>, IngestError> {
    let mut t = Table::open(data_dir, file)?;
    let lad = t.col(lad_col)?;
    let code = t.col(&lad_col.replace("ltla", "region"))?;
    let name = t.col(&lad_col.replace("ltla", "region").replace("_code", "_name"))?;
    let mut out = HashMap::new();
    while t.next_record()? {
        let rc = t.required_text(code)?;
        set.add(AreaType::Region, rc, t.required_text(name)?, &[ENGLAND]);
        out.insert(t.required_text(lad)?.to_owned(), rc.to_owned());
    }
    Ok(out)
}

/// The areas of one LSOA -> ward -> LAD lookup (England and Wales): `columns` are the LSOA,
/// ward and LAD code and name columns, `levels` the LAD, ward and LSOA types. A LAD sits under
/// its region in `regions`, else under its nation.
fn lsoa_ward_lad(
    data_dir: &Path,
    file: &str,
    columns: [&str; 6],
    levels: [AreaType; 3],
    regions: &HashMap<String, String>,
    set: &mut AreaSet,
) -> Result<(), IngestError> {
    let [lad_type, ward_type, lsoa_type] = levels;
    let mut t = Table::open(data_dir, file)?;
    let mut index = [0; 6];
    for (slot, column) in index.iter_mut().zip(columns) {
        *slot = t.col(column)?;
    }
    let [lc, ln, wc, wn, dc, dn] = index;
    while t.next_record()? {
        let lad = t.required_text(dc)?;
        let parent = regions
            .get(lad)
            .map_or_else(|| nation_of(lad), String::as_str);
        set.add(lad_type, lad, t.required_text(dn)?, &[parent]);
        let ward = t.required_text(wc)?;
        set.add(ward_type, ward, t.required_text(wn)?, &[lad]);
        set.add(
            lsoa_type,
            t.required_text(lc)?,
            t.required_text(ln)?,
            &[ward, lad],
        );
    }
    Ok(())
}

/// Geography bundle: every area with its parents, plus links, lineages and classes.
pub fn geography(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("geography")?;
    let mut set = AreaSet {
        areas: Vec::with_capacity(130_000),
        seen: HashMap::with_capacity(130_000),
    };
    for (code, name) in [
        (ENGLAND, "England"),
        (WALES, "Wales"),
        (SCOTLAND, "Scotland"),
        (NORTHERN_IRELAND, "Northern Ireland"),
    ] {
        set.add(AreaType::Nation, code, name, &[]);
    }
    let region19 = regions(
        data_dir,
        "geography_lookups/lookup_ltla19_region19.csv",
        "ltla19_code",
        &mut set,
    )?;
    let region24 = regions(
        data_dir,
        "geography_lookups/lookup_ltla24_region24.csv",
        "ltla24_code",
        &mut set,
    )?;

    lsoa_ward_lad(
        data_dir,
        "geography_lookups/LSOA11_WD19_LAD19_EW_lookup.csv.gz",
        [
            "LSOA11CD", "LSOA11NM", "WD19CD", "WD19NM", "LAD19CD", "LAD19NM",
        ],
        [AreaType::Lad19, AreaType::Ward19, AreaType::Lsoa11],
        &region19,
        &mut set,
    )?;
    lsoa_ward_lad(
        data_dir,
        "geography_lookups/lookup_lsoa21_ward24_ltla24.csv.gz",
        [
            "lsoa21_code",
            "lsoa21_name",
            "ward24_code",
            "ward24_name",
            "ltla24_code",
            "ltla24_name",
        ],
        [AreaType::Lad24, AreaType::Ward24, AreaType::Lsoa21],
        &region24,
        &mut set,
    )?;

    // Scottish data zones -> council areas (2020 codes, unchanged to 2024; held as LAD 2024).
    let mut t = Table::open(data_dir, "geography_lookups/lookup_dz11_iz11_ltla20.csv.gz")?;
    let (zc, zn, cc, cn) = (
        t.col("dz11_code")?,
        t.col("dz11_name")?,
        t.col("ltla20_code")?,
        t.col("ltla20_name")?,
    );
    while t.next_record()? {
        let council = t.required_text(cc)?;
        set.add(AreaType::Lad24, council, t.required_text(cn)?, &[SCOTLAND]);
        set.add(
            AreaType::Dz11,
            t.required_text(zc)?,
            t.required_text(zn)?,
            &[council],
        );
    }

    // NI SOAs -> districts (2014 codes, current in 2024). Names come from NIMDM.
    let mut names: HashMap<String, String> = HashMap::new();
    let mut t = Table::open(
        data_dir,
        "nimdm2017_northern_ireland_soa01/nimdm2017_mdm_and_domain_ranks.csv",
    )?;
    let (sc, sn) = (t.col("SOA2001")?, t.col("SOA2001_name")?);
    while t.next_record()? {
        names.insert(
            t.required_text(sc)?.to_owned(),
            t.required_text(sn)?.replace('_', " "),
        );
    }
    let mut t = Table::open(data_dir, "geography_lookups/lookup_soa01_lgd14.csv")?;
    let (sc, gc, gn) = (
        t.col("soa01_code")?,
        t.col("lgd14_code")?,
        t.col("lgd14_name")?,
    );
    while t.next_record()? {
        let lgd = t.required_text(gc)?;
        set.add(
            AreaType::Lad24,
            lgd,
            t.required_text(gn)?,
            &[NORTHERN_IRELAND],
        );
        let soa = t.required_text(sc)?;
        let name = names.get(soa).map_or(soa, String::as_str);
        set.add(AreaType::Soa01, soa, name, &[lgd]);
    }
    bundle.areas = set.areas;

    let mut t = Table::open(
        data_dir,
        "geography_lookups/lookup_lsoa11_lsoa21_ltla22.csv.gz",
    )?;
    let (a, b, c) = (
        t.col("lsoa11_code")?,
        t.col("lsoa21_code")?,
        t.col("change_code")?,
    );
    while t.next_record()? {
        let change = ChangeCode::parse(t.text(c)?)
            .ok_or_else(|| t.error(c, "change_code must be U, S, M or X"))?;
        bundle.lsoa_links.push(LsoaLink {
            lsoa11: t.required_text(a)?.to_owned(),
            lsoa21: t.required_text(b)?.to_owned(),
            change,
        });
    }

    let mut t = Table::open(data_dir, "geography_lookups/lookup_ltla_ltla.csv")?;
    let mut year_cols = Vec::new();
    for year in 16..=24u16 {
        year_cols.push((
            2000 + year,
            t.col(&format!("ltla{year}_code"))?,
            t.col(&format!("ltla{year}_name"))?,
        ));
    }
    while t.next_record()? {
        let mut years = Vec::with_capacity(year_cols.len());
        for &(year, code, name) in &year_cols {
            let code = t.text(code)?;
            if !code.is_empty() {
                years.push(LadYearCode {
                    year,
                    code: code.to_owned(),
                    name: t.text(name)?.to_owned(),
                });
            }
        }
        bundle.lad_lineages.push(LadLineage { years });
    }

    let classes: [(&str, &str, AreaType, &str, &str, &str); 6] = [
        (
            "geography_lookups/ruc11_lsoa11.csv.gz",
            "lsoa11_code",
            AreaType::Lsoa11,
            "ruc11",
            "ruc11_code",
            "classification",
        ),
        (
            "geography_lookups/ruc21_lsoa21.csv.gz",
            "lsoa21_code",
            AreaType::Lsoa21,
            "ruc21",
            "ruc21_code",
            "classification",
        ),
        (
            "geography_lookups/ruc21_ltla24.csv",
            "ltla24_code",
            AreaType::Lad24,
            "ruc21",
            "ruc21_code",
            "classification",
        ),
        (
            "geography_lookups/lookup_lsoa21_icb24.csv.gz",
            "lsoa21_code",
            AreaType::Lsoa21,
            "icb24",
            "icb24_code",
            "icb24_name",
        ),
        (
            "geography_lookups/lookup_ltla24_csp24_pfa24.csv",
            "ltla24_code",
            AreaType::Lad24,
            "pfa24",
            "pfa24_code",
            "pfa24_name",
        ),
        (
            "geography_lookups/lookup_ltla23_utla23.csv",
            "ltla23_code",
            AreaType::Lad24,
            "utla23",
            "utla23_code",
            "utla23_name",
        ),
    ];
    for (file, area_col, area_type, scheme, code_col, label_col) in classes {
        let mut t = Table::open(data_dir, file)?;
        let (a, c, l) = (t.col(area_col)?, t.col(code_col)?, t.col(label_col)?);
        let mut seen = std::collections::HashSet::new();
        while t.next_record()? {
            let area = t.required_text(a)?;
            // Some lookups list a district once per partnership; keep the first row.
            if seen.insert(area.to_owned()) {
                bundle.area_classes.push(AreaClass {
                    area: area.to_owned(),
                    area_type,
                    scheme: scheme.to_owned(),
                    code: t.required_text(c)?.to_owned(),
                    label: t.text(l)?.to_owned(),
                });
            }
        }
    }
    Ok(bundle)
}
