//! English Indices of Deprivation 2019 and 2025.

use std::path::Path;

use super::table::Table;
use super::{ColumnBuilder, DatasetBundle, IngestError, read_wide};
use crate::catalog::Indicator;
use crate::geography::AreaType;

/// (domain id, File 7 header prefix, label) for domains, supplementary indices and sub-domains.
const COMPONENTS: [(&str, &str, &str); 16] = [
    (
        "imd",
        "Index of Multiple Deprivation (IMD)",
        "Index of Multiple Deprivation",
    ),
    ("income", "Income", "Income Deprivation Domain"),
    ("employment", "Employment", "Employment Deprivation Domain"),
    (
        "education",
        "Education, Skills and Training",
        "Education, Skills and Training Domain",
    ),
    (
        "health",
        "Health Deprivation and Disability",
        "Health Deprivation and Disability Domain",
    ),
    ("crime", "Crime", "Crime Domain"),
    (
        "barriers",
        "Barriers to Housing and Services",
        "Barriers to Housing and Services Domain",
    ),
    (
        "living_environment",
        "Living Environment",
        "Living Environment Deprivation Domain",
    ),
    (
        "idaci",
        "Income Deprivation Affecting Children Index (IDACI)",
        "Income Deprivation Affecting Children Index",
    ),
    (
        "idaopi",
        "Income Deprivation Affecting Older People (IDAOPI)",
        "Income Deprivation Affecting Older People Index",
    ),
    (
        "children_young_people",
        "Children and Young People Sub-domain",
        "Children and Young People Sub-domain (Education)",
    ),
    (
        "adult_skills",
        "Adult Skills Sub-domain",
        "Adult Skills Sub-domain (Education)",
    ),
    (
        "geographical_barriers",
        "Geographical Barriers Sub-domain",
        "Geographical Barriers Sub-domain (Barriers)",
    ),
    (
        "wider_barriers",
        "Wider Barriers Sub-domain",
        "Wider Barriers Sub-domain (Barriers)",
    ),
    (
        "indoors",
        "Indoors Sub-domain",
        "Indoors Living Environment Sub-domain",
    ),
    (
        "outdoors",
        "Outdoors Sub-domain",
        "Outdoors Living Environment Sub-domain",
    ),
];

/// Register score/rank/decile indicators for every component whose headers exist in `table`.
/// Missing columns (e.g. IoD2019 domain scores) are simply not registered.
fn component_specs(
    table: &Table,
    dataset: &str,
    geography: AreaType,
    builder: &mut ColumnBuilder,
) -> Vec<(usize, usize)> {
    let mut specs = Vec::new();
    let n = if dataset == "iod2019" {
        "32,844"
    } else {
        "33,755"
    };
    for (domain, prefix, label) in COMPONENTS {
        let score_header = if matches!(domain, "income" | "employment" | "idaci" | "idaopi") {
            format!("{prefix} Score (rate)")
        } else {
            format!("{prefix} Score")
        };
        let rank_header = format!("{prefix} Rank (where 1 is most deprived)");
        let decile_header = format!("{prefix} Decile (where 1 is most deprived 10% of LSOAs)");
        let score_desc = match domain {
            "income" | "employment" | "idaci" | "idaopi" => {
                "Proportion of the relevant population that is deprived (rate, 0-1); higher = more deprived."
            }
            "imd" => {
                "Weighted sum of exponentially transformed domain ranks (22.5/22.5/13.5/13.5/9.3/9.3/9.3%); higher = more deprived."
            }
            _ => {
                "Standardised / transformed domain score; higher = more deprived. Not comparable across domains."
            }
        };
        let unit = if score_desc.starts_with("Proportion") {
            "rate"
        } else {
            "score"
        };
        let measures = [
            (
                score_header,
                "score",
                unit,
                Some(true),
                score_desc.to_owned(),
            ),
            (
                rank_header,
                "rank",
                "rank",
                Some(false),
                format!("Rank among the {n} LSOAs in England; 1 = most deprived."),
            ),
            (
                decile_header,
                "decile",
                "decile",
                Some(false),
                "National decile; 1 = most deprived 10% of LSOAs in England.".to_owned(),
            ),
        ];
        for (header, measure, unit, direction, description) in measures {
            if let Some(col) = table.find(&header) {
                let slot = builder.add(Indicator::new(
                    dataset,
                    domain,
                    measure,
                    format!("{label} {measure}"),
                    unit,
                    geography,
                    direction,
                    description,
                ));
                specs.push((col, slot));
            }
        }
    }
    specs
}

const IOD2019_COMBINED: &str = "iod2019_england_lsoa11/iod2019_lsoa11_combined.csv.gz";
const IOD2019_FILE9: &str = "iod2019_england_lsoa11/File_9_-_IoD2019_Transformed_Scores.csv.gz";
const IOD2019_CODE: &str = "LSOA code (2011)";

/// File 6 population denominators: (header, measure, label).
const IOD2019_POPULATION: [(&str, &str, &str); 5] = [
    (
        "Total population: mid 2015 (excluding prisoners)",
        "total",
        "Total population (mid-2015, excluding prisoners)",
    ),
    (
        "Dependent Children aged 0-15: mid 2015 (excluding prisoners)",
        "children_0_15",
        "Dependent children aged 0-15 (mid-2015)",
    ),
    (
        "Population aged 16-59: mid 2015 (excluding prisoners)",
        "age_16_59",
        "Population aged 16-59 (mid-2015)",
    ),
    (
        "Older population aged 60 and over: mid 2015 (excluding prisoners)",
        "older_60_plus",
        "Older population aged 60 and over (mid-2015)",
    ),
    (
        "Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)",
        "working_age",
        "Working-age population 18-59/64 (mid-2015; Employment domain denominator)",
    ),
];

fn population_specs(
    table: &Table,
    builder: &mut ColumnBuilder,
) -> Result<Vec<(usize, usize)>, IngestError> {
    let mut specs = Vec::new();
    for (header, measure, label) in IOD2019_POPULATION {
        let col = table.col(header)?;
        let slot = builder.add(Indicator::new(
            "iod2019",
            "population",
            measure,
            label,
            "persons",
            AreaType::Lsoa11,
            None,
            "IoD2019 File 6 population denominator (mid-2015 estimate excluding prisoners), used to weight LAD summaries.",
        ));
        specs.push((col, slot));
    }
    Ok(specs)
}

/// IoD2019: File-7-shaped combined table (Files 1-6 content) plus File 9 transformed scores.
pub fn iod2019(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("iod2019")?;
    let mut builder = ColumnBuilder::new();
    let mut table = Table::open(data_dir, IOD2019_COMBINED)?;
    let code = table.col(IOD2019_CODE)?;
    let mut specs = component_specs(&table, "iod2019", AreaType::Lsoa11, &mut builder);
    specs.extend(population_specs(&table, &mut builder)?);
    read_wide(&mut table, code, &specs, &mut builder)?;

    let mut table = Table::open(data_dir, IOD2019_FILE9)?;
    let code = table.col(IOD2019_CODE)?;
    let transformed = [
        ("Income Score - exponentially transformed", "income"),
        ("Employment Score - exponentially transformed", "employment"),
        ("Education Score - exponentially transformed", "education"),
        ("Health Score - exponentially transformed", "health"),
        ("Crime Score - exponentially transformed", "crime"),
        ("Barriers Score - exponentially transformed", "barriers"),
        (
            "Living Environment Score - exponentially transformed",
            "living_environment",
        ),
    ];
    let mut specs = Vec::new();
    for (header, domain) in transformed {
        let col = table.col(header)?;
        let slot = builder.add(Indicator::new(
            "iod2019",
            domain,
            "transformed_score",
            format!("{} score, exponentially transformed", header.split(" Score").next().unwrap_or(domain)),
            "score",
            AreaType::Lsoa11,
            Some(true),
            "File 9: domain rank transformed to an exponential distribution (0-100); combined with the IMD weights gives the IMD score.",
        ));
        specs.push((col, slot));
    }
    read_wide(&mut table, code, &specs, &mut builder)?;
    bundle.absorb(builder);
    Ok(bundle)
}

/// Read the separate official IoD2019 Files 1, 2, 3 and 6 (same indicator ids as [`iod2019`]).
/// Their content is already in the combined table, so `load_all` does not use them; this exists to
/// cross-check the combined table and to parse the raw official layouts (quoted thousands
/// separators in File 1, `29199.00`-style integers in Files 3 and 6).
pub fn iod2019_official_files(data_dir: &Path) -> Result<Vec<super::IndicatorColumn>, IngestError> {
    let mut builder = ColumnBuilder::new();
    // File 1 uses short headers without the "(where 1 is most deprived)" suffix.
    let mut t1 = Table::open(
        data_dir,
        "iod2019_england_lsoa11/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
    )?;
    let code = t1.col(IOD2019_CODE)?;
    let mut specs = Vec::new();
    for (header, measure) in [("Rank", "rank"), ("Decile", "decile")] {
        let col = t1.col(&format!("Index of Multiple Deprivation (IMD) {header}"))?;
        let slot = builder.add(Indicator::new(
            "file1",
            "imd",
            measure,
            format!("IMD {measure}"),
            measure,
            AreaType::Lsoa11,
            Some(false),
            "File 1",
        ));
        specs.push((col, slot));
    }
    read_wide(&mut t1, code, &specs, &mut builder)?;
    let (mut indicators, mut columns) = builder.finish();

    // Files 2 and 3 hold the domains and supplementary indices, File 6 the denominators.
    for (file, components) in [
        (
            "iod2019_england_lsoa11/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
            Some("file2"),
        ),
        (
            "iod2019_england_lsoa11/File_3_-_IoD2019_Supplementary_Indices_-_IDACI_and_IDAOPI.csv.gz",
            Some("file3"),
        ),
        (
            "iod2019_england_lsoa11/File_6_-_IoD2019_Population_Denominators.csv.gz",
            None,
        ),
    ] {
        let mut b = ColumnBuilder::new();
        let mut t = Table::open(data_dir, file)?;
        let code = t.col(IOD2019_CODE)?;
        let specs = match components {
            Some(dataset) => component_specs(&t, dataset, AreaType::Lsoa11, &mut b),
            None => population_specs(&t, &mut b)?,
        };
        read_wide(&mut t, code, &specs, &mut b)?;
        let (i, c) = b.finish();
        indicators.extend(i);
        columns.extend(c);
    }
    // Use the combined table's ids so callers can compare column by column.
    for (ind, col) in indicators.iter().zip(columns.iter_mut()) {
        col.indicator = format!("iod2019.{}.{}", ind.domain(), ind.measure());
    }
    Ok(columns)
}

const IOD2025_COMBINED: &str = "iod2025_england_lsoa21/iod2025_lsoa21_combined.csv.gz";
const IOD2025_INDICATORS: &str =
    "iod2025_england_lsoa21/iod2025_lsoa21_underlying_indicators_subset.csv.gz";
const IOD2025_LAD: &str = "iod2025_england_lad24_summaries/iod2025_lad24_summaries_all_domains.csv";

/// File 8 subset: (column, domain, measure, unit, higher_is_more_deprived, label).
/// Directions were checked against the domain scores (all positively correlated except the
/// connectivity score, where higher = better connected).
const IOD2025_UNDERLYING: [(&str, &str, &str, &str, bool, &str); 28] = [
    (
        "income_domain_numerator",
        "income",
        "numerator",
        "persons",
        true,
        "Income-deprived people (Income domain numerator)",
    ),
    (
        "income_deprivation_affecting_children_index_idaci_numerator",
        "idaci",
        "numerator",
        "persons",
        true,
        "Income-deprived children aged 0-15 (IDACI numerator)",
    ),
    (
        "income_deprivation_affecting_older_people_index_idaopi_numerator",
        "idaopi",
        "numerator",
        "persons",
        true,
        "Income-deprived people aged 60+ (IDAOPI numerator)",
    ),
    (
        "employment_domain_numerator",
        "employment",
        "numerator",
        "persons",
        true,
        "Employment-deprived people (Employment domain numerator)",
    ),
    (
        "adult_skills_and_english_language_proficiency_indicator",
        "education",
        "adult_skills_english_proficiency",
        "proportion",
        true,
        "Adults with no or low qualifications or English proficiency",
    ),
    (
        "entry_to_higher_education_indicator",
        "education",
        "entry_to_higher_education",
        "score",
        true,
        "Entry to higher education indicator (higher = fewer young people entering HE)",
    ),
    (
        "acute_morbidity_indicator",
        "health",
        "acute_morbidity",
        "ratio",
        true,
        "Acute morbidity (emergency admissions) indicator",
    ),
    (
        "comparative_illness_and_disability_ratio_indicator",
        "health",
        "comparative_illness_disability_ratio",
        "ratio",
        true,
        "Comparative illness and disability ratio",
    ),
    (
        "mental_health_indicator",
        "health",
        "mental_health",
        "score",
        true,
        "Mood and anxiety disorders indicator",
    ),
    (
        "years_of_potential_life_lost_indicator",
        "health",
        "years_of_potential_life_lost",
        "ratio",
        true,
        "Years of potential life lost",
    ),
    (
        "violence_with_injury_rate_per_1_000_at_risk_population",
        "crime",
        "violence_with_injury_rate",
        "per 1,000",
        true,
        "Violence with injury rate per 1,000 at-risk population",
    ),
    (
        "violence_without_injury_rate_per_1_000_at_risk_population",
        "crime",
        "violence_without_injury_rate",
        "per 1,000",
        true,
        "Violence without injury rate per 1,000 at-risk population",
    ),
    (
        "stalking_and_harassment_rate_per_1_000_at_risk_population",
        "crime",
        "stalking_harassment_rate",
        "per 1,000",
        true,
        "Stalking and harassment rate per 1,000 at-risk population",
    ),
    (
        "burglary_rate_per_1_000_at_risk_properties",
        "crime",
        "burglary_rate",
        "per 1,000",
        true,
        "Burglary rate per 1,000 at-risk properties",
    ),
    (
        "theft_rate_per_1_000_at_risk_population",
        "crime",
        "theft_rate",
        "per 1,000",
        true,
        "Theft rate per 1,000 at-risk population",
    ),
    (
        "criminal_damage_rate_per_1_000_at_risk_population",
        "crime",
        "criminal_damage_rate",
        "per 1,000",
        true,
        "Criminal damage rate per 1,000 at-risk population",
    ),
    (
        "public_order_and_possession_of_weapons_rate_per_1_000_at_risk_population",
        "crime",
        "public_order_weapons_rate",
        "per 1,000",
        true,
        "Public order and possession of weapons rate per 1,000",
    ),
    (
        "anti_social_behaviour_rate_per_1_000_at_risk_population",
        "crime",
        "anti_social_behaviour_rate",
        "per 1,000",
        true,
        "Anti-social behaviour rate per 1,000 at-risk population",
    ),
    (
        "connectivity_score",
        "barriers",
        "connectivity_score",
        "score",
        false,
        "Connectivity score (access to services by public/active transport; higher = better connected)",
    ),
    (
        "owner_occupation_affordability_component_of_housing_affordability_indicator",
        "barriers",
        "owner_occupation_affordability",
        "score",
        true,
        "Owner-occupation affordability component",
    ),
    (
        "private_rental_affordability_component_of_housing_affordability_indicator",
        "barriers",
        "private_rental_affordability",
        "score",
        true,
        "Private rental affordability component",
    ),
    (
        "housing_affordability_indicator",
        "barriers",
        "housing_affordability",
        "score",
        true,
        "Housing affordability indicator",
    ),
    (
        "digital_connectivity_broadband_download_and_upload_speeds",
        "barriers",
        "digital_connectivity",
        "score",
        true,
        "Digital connectivity (broadband speed deficit)",
    ),
    (
        "core_homelessness_rate_percent_of_households",
        "barriers",
        "core_homelessness_rate",
        "%",
        true,
        "Core homelessness (% of households)",
    ),
    (
        "patient_to_gp_ratio",
        "barriers",
        "patient_to_gp_ratio",
        "ratio",
        true,
        "Patients per GP",
    ),
    (
        "homelessness_indicator_rate_per_1_000_households",
        "barriers",
        "homelessness_rate",
        "per 1,000",
        true,
        "Homelessness rate per 1,000 households",
    ),
    (
        "household_overcrowding_indicator_rooms",
        "barriers",
        "overcrowding_rooms",
        "proportion",
        true,
        "Household overcrowding (rooms)",
    ),
    (
        "household_overcrowding_indicator_bedrooms",
        "barriers",
        "overcrowding_bedrooms",
        "proportion",
        true,
        "Household overcrowding (bedrooms)",
    ),
];

/// File 10 v2 domain prefixes: (column prefix, domain id).
const IOD2025_LAD_DOMAINS: [(&str, &str); 8] = [
    ("imd", "imd"),
    ("income", "income"),
    ("employment", "employment"),
    ("education_skills_and_training", "education"),
    ("health_deprivation_and_disability", "health"),
    ("crime", "crime"),
    ("barriers_to_housing_and_services", "barriers"),
    ("living_environment", "living_environment"),
];

/// File 10's measures of each domain: (header suffix, measure, name, unit, higher = more deprived).
const IOD2025_LAD_MEASURES: [(&str, &str, &str, &str, bool); 6] = [
    ("average_rank", "average_rank", "average rank", "rank", true),
    (
        "rank_of_average_rank",
        "rank_of_average_rank",
        "rank of average rank",
        "rank",
        false,
    ),
    (
        "average_score",
        "average_score",
        "average score",
        "score",
        true,
    ),
    (
        "rank_of_average_score",
        "rank_of_average_score",
        "rank of average score",
        "rank",
        false,
    ),
    (
        "proportion_of_lso_as_in_most_deprived_10_percent_nationally",
        "proportion_most_deprived_10pc",
        "proportion of LSOAs in the most deprived 10%",
        "proportion",
        true,
    ),
    (
        "rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally",
        "rank_of_proportion_most_deprived_10pc",
        "rank of proportion in most deprived 10%",
        "rank",
        false,
    ),
];

/// File 10's district-only measures: (header, domain, measure, name, unit, higher = more
/// deprived).
const IOD2025_LAD_EXTRA: [(&str, &str, &str, &str, &str, bool); 8] = [
    (
        "imd25_extent",
        "imd",
        "extent",
        "IMD extent (LAD)",
        "proportion",
        true,
    ),
    (
        "imd25_rank_of_extent",
        "imd",
        "rank_of_extent",
        "IMD rank of extent (LAD)",
        "rank",
        false,
    ),
    (
        "imd25_local_concentration",
        "imd",
        "local_concentration",
        "IMD local concentration (LAD)",
        "rank",
        true,
    ),
    (
        "imd25_rank_of_local_concentration",
        "imd",
        "rank_of_local_concentration",
        "IMD rank of local concentration (LAD)",
        "rank",
        false,
    ),
    (
        "income_scale",
        "income",
        "scale",
        "Income scale: income-deprived people (LAD)",
        "persons",
        true,
    ),
    (
        "rank_of_income_scale",
        "income",
        "rank_of_scale",
        "Income: rank of scale (LAD)",
        "rank",
        false,
    ),
    (
        "employment_scale",
        "employment",
        "scale",
        "Employment scale: employment-deprived people (LAD)",
        "persons",
        true,
    ),
    (
        "rank_of_employment_scale",
        "employment",
        "rank_of_scale",
        "Employment: rank of scale (LAD)",
        "rank",
        false,
    ),
];

/// IoD2025: File 7 (scores/ranks/deciles), File 8 subset, File 10 v2 LAD summaries.
pub fn iod2025(data_dir: &Path) -> Result<DatasetBundle, IngestError> {
    let mut bundle = DatasetBundle::new("iod2025")?;
    let mut builder = ColumnBuilder::new();
    let mut table = Table::open(data_dir, IOD2025_COMBINED)?;
    let code = table.col("LSOA code (2021)")?;
    let specs = component_specs(&table, "iod2025", AreaType::Lsoa21, &mut builder);
    read_wide(&mut table, code, &specs, &mut builder)?;

    let mut table = Table::open(data_dir, IOD2025_INDICATORS)?;
    let code = table.col("lsoa21_code")?;
    let mut specs = Vec::new();
    for (header, domain, measure, unit, direction, label) in IOD2025_UNDERLYING {
        let col = table.col(header)?;
        let slot = builder.add(Indicator::new(
            "iod2025",
            domain,
            measure,
            label,
            unit,
            AreaType::Lsoa21,
            Some(direction),
            format!(
                "IoD2025 File 8 underlying indicator `{header}`. Suppressed values are missing."
            ),
        ));
        specs.push((col, slot));
    }
    read_wide(&mut table, code, &specs, &mut builder)?;

    let mut table = Table::open(data_dir, IOD2025_LAD)?;
    let code = table.col("ltla24_code")?;
    // Every domain's six measures, then the district-only ones, in the file's order.
    let mut wanted: Vec<(String, &str, &str, String, &str, bool)> = Vec::new();
    for (prefix, domain) in IOD2025_LAD_DOMAINS {
        let label = COMPONENTS
            .iter()
            .find(|c| c.0 == domain)
            .map_or(domain, |c| c.2);
        for (suffix, measure, name, unit, dir) in IOD2025_LAD_MEASURES {
            wanted.push((
                format!("{prefix}_{suffix}"),
                domain,
                measure,
                format!("{label}: {name} (LAD)"),
                unit,
                dir,
            ));
        }
    }
    for (header, domain, measure, name, unit, dir) in IOD2025_LAD_EXTRA {
        wanted.push((
            header.to_owned(),
            domain,
            measure,
            name.to_owned(),
            unit,
            dir,
        ));
    }
    let mut specs = Vec::new();
    for (header, domain, measure, name, unit, dir) in wanted {
        let col = table.col(&header)?;
        let slot = builder.add(Indicator::new(
            "iod2025",
            domain,
            measure,
            name,
            unit,
            AreaType::Lad24,
            Some(dir),
            format!("IoD2025 File 10 v2 local authority district summary (`{header}`); ranks: 1 = most deprived of 296 districts."),
        ));
        specs.push((col, slot));
    }
    read_wide(&mut table, code, &specs, &mut builder)?;
    bundle.absorb(builder);
    Ok(bundle)
}
