//! Welsh, Scottish and Northern Ireland indices.

use std::path::Path;

use super::table::Table;
use super::{ColumnBuilder, DatasetBundle, IngestError, read_wide};
use crate::catalog::{Indicator, slug};
use crate::geography::AreaType;

/// WIMD 2019 domains: (header, domain id).
const WIMD_DOMAINS: [(&str, &str); 9] = [
    ("WIMD 2019", "wimd"),
    ("Income", "income"),
    ("Employment", "employment"),
    ("Health", "health"),
    ("Education", "education"),
    ("Access to Services", "access_to_services"),
    ("Housing", "housing"),
    ("Community Safety", "community_safety"),
    ("Physical Environment", "physical_environment"),
];

/// WIMD 2019: ranks, scores and overall decile/quintile/quartile (LSOA 2011, Wales).
pub fn wimd2019(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("wimd2019")?;
    let mut builder = ColumnBuilder::new();
    for (file, measure, unit, dir, desc) in [
        (
            "wimd2019_wales_lsoa11/wimd2019_index_and_domain_ranks_by_lsoa.csv",
            "rank",
            "rank",
            false,
            "Rank among the 1,909 LSOAs in Wales; 1 = most deprived.",
        ),
        (
            "wimd2019_wales_lsoa11/wimd2019_index_and_domain_scores_by_lsoa.csv",
            "score",
            "score",
            true,
            "WIMD score (higher = more deprived); not comparable with English IoD scores.",
        ),
    ] {
        let mut t = Table::open(data_dir, file)?;
        let code = t.col("LSOA code")?;
        let mut specs = Vec::new();
        for (header, domain) in WIMD_DOMAINS {
            let col = t.col(header)?;
            let name = if domain == "wimd" {
                "WIMD 2019".to_owned()
            } else {
                format!("WIMD 2019 {header} domain")
            };
            let slot = builder.add(Indicator::new(
                "wimd2019",
                domain,
                measure,
                format!("{name} {measure}"),
                unit,
                AreaType::Lsoa11,
                Some(dir),
                desc,
            ));
            specs.push((col, slot));
        }
        read_wide(&mut t, code, &specs, &mut builder)?;
    }
    let mut t = Table::open(
        data_dir,
        "wimd2019_wales_lsoa11/wimd2019_overall_rank_decile_quintile_quartile_by_lsoa.csv",
    )?;
    let code = t.col("LSOA code")?;
    let mut specs = Vec::new();
    for (header, measure) in [
        ("WIMD 2019 overall decile", "decile"),
        ("WIMD 2019 overall quintile", "quintile"),
        ("WIMD 2019 overall quartile", "quartile"),
    ] {
        let col = t.col(header)?;
        let slot = builder.add(Indicator::new(
            "wimd2019",
            "wimd",
            measure,
            format!("WIMD 2019 {measure}"),
            measure,
            AreaType::Lsoa11,
            Some(false),
            format!("Overall WIMD {measure} within Wales; 1 = most deprived."),
        ));
        specs.push((col, slot));
    }
    read_wide(&mut t, code, &specs, &mut builder)?;
    bundle.absorb(builder);
    Ok(bundle)
}

/// SIMD indicator columns: (header, domain, measure, unit, higher_is_more_deprived, label).
const SIMD_INDICATORS: [(&str, &str, &str, &str, bool, &str); 32] = [
    (
        "Income_rate",
        "income",
        "rate",
        "%",
        true,
        "Share of population income deprived",
    ),
    (
        "Income_count",
        "income",
        "count",
        "persons",
        true,
        "Number of people income deprived",
    ),
    (
        "Employment_rate",
        "employment",
        "rate",
        "%",
        true,
        "Share of working-age population employment deprived",
    ),
    (
        "Employment_count",
        "employment",
        "count",
        "persons",
        true,
        "Number of people employment deprived",
    ),
    (
        "CIF",
        "health",
        "comparative_illness_factor",
        "ratio",
        true,
        "Comparative illness factor (standardised ratio)",
    ),
    (
        "ALCOHOL",
        "health",
        "alcohol_admissions",
        "ratio",
        true,
        "Hospital stays related to alcohol misuse (standardised ratio)",
    ),
    (
        "DRUG",
        "health",
        "drug_admissions",
        "ratio",
        true,
        "Hospital stays related to drug misuse (standardised ratio)",
    ),
    (
        "SMR",
        "health",
        "standardised_mortality_ratio",
        "ratio",
        true,
        "Standardised mortality ratio",
    ),
    (
        "DEPRESS",
        "health",
        "depression_prescribing",
        "%",
        true,
        "Population prescribed drugs for anxiety, depression or psychosis",
    ),
    (
        "LBWT",
        "health",
        "low_birth_weight",
        "%",
        true,
        "Live singleton births of low birth weight",
    ),
    (
        "EMERG",
        "health",
        "emergency_admissions",
        "ratio",
        true,
        "Emergency stays in hospital (standardised ratio)",
    ),
    (
        "Attendance",
        "education",
        "school_attendance",
        "%",
        false,
        "School pupil attendance (higher = better)",
    ),
    (
        "Attainment",
        "education",
        "attainment",
        "score",
        false,
        "Attainment of school leavers (higher = better)",
    ),
    (
        "no_qualifications",
        "education",
        "no_qualifications",
        "ratio",
        true,
        "Working-age people with no qualifications (standardised ratio)",
    ),
    (
        "not_participating",
        "education",
        "not_participating",
        "%",
        true,
        "16-19 year olds not in education, employment or training",
    ),
    (
        "University",
        "education",
        "university_entry",
        "%",
        false,
        "17-21 year olds entering university (higher = better)",
    ),
    (
        "drive_petrol",
        "access",
        "drive_petrol",
        "minutes",
        true,
        "Average drive time to a petrol station",
    ),
    (
        "drive_GP",
        "access",
        "drive_gp",
        "minutes",
        true,
        "Average drive time to a GP surgery",
    ),
    (
        "drive_post",
        "access",
        "drive_post_office",
        "minutes",
        true,
        "Average drive time to a post office",
    ),
    (
        "drive_primary",
        "access",
        "drive_primary_school",
        "minutes",
        true,
        "Average drive time to a primary school",
    ),
    (
        "drive_retail",
        "access",
        "drive_retail_centre",
        "minutes",
        true,
        "Average drive time to a retail centre",
    ),
    (
        "drive_secondary",
        "access",
        "drive_secondary_school",
        "minutes",
        true,
        "Average drive time to a secondary school",
    ),
    (
        "PT_GP",
        "access",
        "public_transport_gp",
        "minutes",
        true,
        "Public transport travel time to a GP surgery",
    ),
    (
        "PT_post",
        "access",
        "public_transport_post_office",
        "minutes",
        true,
        "Public transport travel time to a post office",
    ),
    (
        "PT_retail",
        "access",
        "public_transport_retail_centre",
        "minutes",
        true,
        "Public transport travel time to a retail centre",
    ),
    (
        "Broadband",
        "access",
        "no_superfast_broadband",
        "%",
        true,
        "Premises without access to superfast broadband",
    ),
    (
        "crime_count",
        "crime",
        "count",
        "count",
        true,
        "Recorded crimes of violence, sexual offences, domestic housebreaking, vandalism, drugs offences and common assault",
    ),
    (
        "crime_rate",
        "crime",
        "rate",
        "per 10,000",
        true,
        "Recorded crime rate per 10,000 population",
    ),
    (
        "overcrowded_count",
        "housing",
        "overcrowded_count",
        "persons",
        true,
        "People in overcrowded households",
    ),
    (
        "nocentralheat_count",
        "housing",
        "no_central_heating_count",
        "persons",
        true,
        "People in households without central heating",
    ),
    (
        "overcrowded_rate",
        "housing",
        "overcrowded_rate",
        "%",
        true,
        "Share of people in overcrowded households",
    ),
    (
        "nocentralheat_rate",
        "housing",
        "no_central_heating_rate",
        "%",
        true,
        "Share of people in households without central heating",
    ),
];

/// (header, domain, measure, unit, higher_is_more_deprived, description).
type RankColumn<'a> = (&'a str, &'a str, &'a str, &'a str, Option<bool>, &'a str);

/// SIMD 2020v2: ranks, bands, domain ranks, populations and indicators (data zones 2011).
pub fn simd2020v2(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("simd2020v2")?;
    let mut builder = ColumnBuilder::new();
    let mut t = Table::open(
        data_dir,
        "simd2020v2_scotland_dz11/simd2020v2_ranks_and_datazone_lookup.csv",
    )?;
    let code = t.col("DZ")?;
    let mut specs = Vec::new();
    let rank_desc = "Rank among the 6,976 data zones in Scotland; 1 = most deprived.";
    let columns: [RankColumn<'_>; 14] = [
        (
            "SIMD2020v2_Rank",
            "simd",
            "rank",
            "rank",
            Some(false),
            rank_desc,
        ),
        (
            "SIMD2020v2_Vigintile",
            "simd",
            "vigintile",
            "vigintile",
            Some(false),
            "5% band within Scotland; 1 = most deprived.",
        ),
        (
            "SIMD2020v2_Decile",
            "simd",
            "decile",
            "decile",
            Some(false),
            "Decile within Scotland; 1 = most deprived.",
        ),
        (
            "SIMD2020v2_Quintile",
            "simd",
            "quintile",
            "quintile",
            Some(false),
            "Quintile within Scotland; 1 = most deprived.",
        ),
        (
            "SIMD2020v2_Income_Domain_Rank",
            "income",
            "rank",
            "rank",
            Some(false),
            rank_desc,
        ),
        (
            "SIMD2020_Employment_Domain_Rank",
            "employment",
            "rank",
            "rank",
            Some(false),
            rank_desc,
        ),
        (
            "SIMD2020_Education_Domain_Rank",
            "education",
            "rank",
            "rank",
            Some(false),
            rank_desc,
        ),
        (
            "SIMD2020_Health_Domain_Rank",
            "health",
            "rank",
            "rank",
            Some(false),
            rank_desc,
        ),
        (
            "SIMD2020_Access_Domain_Rank",
            "access",
            "rank",
            "rank",
            Some(false),
            rank_desc,
        ),
        (
            "SIMD2020_Crime_Domain_Rank",
            "crime",
            "rank",
            "rank",
            Some(false),
            rank_desc,
        ),
        (
            "SIMD2020_Housing_Domain_Rank",
            "housing",
            "rank",
            "rank",
            Some(false),
            rank_desc,
        ),
        (
            "Population",
            "population",
            "total",
            "persons",
            None,
            "Total population used by SIMD 2020v2.",
        ),
        (
            "Working_Age_Population",
            "population",
            "working_age",
            "persons",
            None,
            "Working-age population used by SIMD 2020v2.",
        ),
        (
            "URclass",
            "population",
            "urban_rural_class",
            "class",
            None,
            "Scottish Government 8-fold urban/rural class (1 = large urban area ... 8 = remote rural).",
        ),
    ];
    for (header, domain, measure, unit, dir, desc) in columns {
        let col = t.col(header)?;
        let name = format!(
            "SIMD 2020v2 {} {}",
            domain.replace('_', " "),
            measure.replace('_', " ")
        );
        let slot = builder.add(Indicator::new(
            "simd2020v2",
            domain,
            measure,
            name,
            unit,
            AreaType::Dz11,
            dir,
            desc,
        ));
        specs.push((col, slot));
    }
    read_wide(&mut t, code, &specs, &mut builder)?;

    let mut t = Table::open(
        data_dir,
        "simd2020v2_scotland_dz11/simd2020v2_indicators.csv",
    )?;
    let code = t.col("Data_Zone")?;
    let mut specs = Vec::new();
    for (header, domain, measure, unit, dir, label) in SIMD_INDICATORS {
        let col = t.col(header)?;
        let slot = builder.add(Indicator::new(
            "simd2020v2",
            domain,
            measure,
            label,
            unit,
            AreaType::Dz11,
            Some(dir),
            format!("SIMD 2020v2 indicator `{header}`; suppressed (`*`) values are missing; percentages kept in percent."),
        ));
        specs.push((col, slot));
    }
    read_wide(&mut t, code, &specs, &mut builder)?;
    bundle.absorb(builder);
    Ok(bundle)
}

/// NIMDM 2017 sheets: (file, domain id).
const NIMDM_SHEETS: [(&str, &str); 9] = [
    ("nimdm2017_mdm_and_domain_ranks.csv", "ranks"),
    ("nimdm2017_income_domain.csv", "income"),
    ("nimdm2017_employment_domain.csv", "employment"),
    ("nimdm2017_health_and_disability_domain.csv", "health"),
    (
        "nimdm2017_education_skills_training_domain.csv",
        "education",
    ),
    (
        "nimdm2017_access_to_services_domain.csv",
        "access_to_services",
    ),
    (
        "nimdm2017_living_environment_domain.csv",
        "living_environment",
    ),
    (
        "nimdm2017_crime_and_disorder_domain.csv",
        "crime_and_disorder",
    ),
    ("nimdm2017_idac_and_idaop.csv", "idac_idaop"),
];

/// Domain ids for the MDM sheet's rank headers.
fn nimdm_rank_domain(header: &str) -> Option<&'static str> {
    let h = header.to_ascii_lowercase();
    let map = [
        ("multiple deprivation measure", "mdm"),
        ("income domain", "income"),
        ("employment domain", "employment"),
        ("health deprivation", "health"),
        ("education, skills", "education"),
        ("access to services", "access_to_services"),
        ("living environment", "living_environment"),
        ("crime and disorder", "crime_and_disorder"),
    ];
    map.iter().find(|(k, _)| h.starts_with(k)).map(|(_, d)| *d)
}

/// NIMDM 2017: MDM and domain ranks and each domain sheet's indicators (SOA, NI).
pub fn nimdm2017(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("nimdm2017")?;
    let mut builder = ColumnBuilder::new();
    for (file, sheet_domain) in NIMDM_SHEETS {
        let mut t = Table::open(
            data_dir,
            &format!("nimdm2017_northern_ireland_soa01/{file}"),
        )?;
        let code = t.col("SOA2001")?;
        let mut specs = Vec::new();
        let headers: Vec<String> = t.headers().to_vec();
        for (col, header) in headers.iter().enumerate() {
            if matches!(
                header.as_str(),
                "LGD2014NAME" | "2015 Default Urban/Rural" | "SOA2001" | "SOA2001_name"
            ) || header.is_empty()
            {
                continue;
            }
            let is_rank = header.to_ascii_lowercase().contains("rank");
            let (domain, measure) = if sheet_domain == "ranks" {
                match nimdm_rank_domain(header) {
                    Some(d) => (d.to_owned(), "rank".to_owned()),
                    None => continue,
                }
            } else if header.contains("Domain Rank (where 1 is most deprived)") {
                // Repeats the MDM sheet's domain rank.
                continue;
            } else {
                let mut m = slug(header);
                if is_rank && !m.ends_with("rank") {
                    m.push_str("_rank");
                }
                (sheet_domain.to_owned(), m)
            };
            let id = format!("nimdm2017.{domain}.{measure}");
            if builder.slot(&id).is_some() {
                continue;
            }
            let (unit, dir, desc) = if is_rank {
                (
                    "rank",
                    false,
                    "Rank among the 890 SOAs in Northern Ireland; 1 = most deprived.".to_owned(),
                )
            } else {
                (
                    "value",
                    true,
                    format!(
                        "NIMDM 2017 indicator value `{header}` (higher = more deprived); suppressed values are missing."
                    ),
                )
            };
            let slot = builder.add(Indicator::new(
                "nimdm2017",
                &domain,
                &measure,
                header.as_str(),
                unit,
                AreaType::Soa01,
                Some(dir),
                desc,
            ));
            specs.push((col, slot));
        }
        read_wide(&mut t, code, &specs, &mut builder)?;
    }
    bundle.absorb(builder);
    Ok(bundle)
}
