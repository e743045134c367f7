//! Calculator projects: settings, outcomes and inputs (stored as the domain's JSON), an
//! organisation's own proxies, frozen report versions and evidence files.
//!
//! The store does not decide who may see what: callers check the caller's membership of
//! [`ProjectRecord::organisation_id`] first (see the web layer's `auth`). Every function that
//! takes a project id as well as a child id checks the child belongs to that project, so a
//! guessed id from another project is simply not found. Every change is audited with its
//! organisation, in the same transaction.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use sha2::{Digest, Sha256};
use svatlas_domain::calculator::{OutcomeEntry, ProjectDetails, ProjectReport, Proxy};
use svatlas_domain::sroi::Input;
use uuid::Uuid;

use crate::audit::NewAuditEntry;
use crate::write::audited_write;
use crate::{Store, StoreError, dispatch};

// Dynamic SQL below (AssertSqlSafe) only splices our own table and column names, never input.

/// Most outcomes or inputs one project may hold (bounds report work per request).
pub const MAX_ENTRIES: i64 = 500;
/// Most frozen report versions per project.
pub const MAX_VERSIONS: i64 = 200;
/// Most evidence files per project.
pub const MAX_EVIDENCE_FILES: i64 = 200;

/// A project as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectRecord {
    /// Opaque id.
    pub id: Uuid,
    /// The organisation that owns it.
    pub organisation_id: Uuid,
    /// Its settings.
    pub details: ProjectDetails,
    /// When it was archived (hidden from the default list, still readable).
    pub archived_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it or any of its entries last changed.
    pub updated_at: DateTime<Utc>,
}

/// A project in a list, with counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectSummary {
    /// The project.
    pub project: ProjectRecord,
    /// Its outcomes.
    pub outcomes: i64,
    /// Its inputs.
    pub inputs: i64,
}

/// One stored outcome or input with its id and position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryRecord<T> {
    /// Opaque id.
    pub id: Uuid,
    /// Order within the project (increasing).
    pub position: i64,
    /// The entry.
    pub entry: T,
}

/// A project with everything needed for its report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectContents {
    /// The project.
    pub project: ProjectRecord,
    /// Outcomes in order.
    pub outcomes: Vec<EntryRecord<OutcomeEntry>>,
    /// Inputs in order.
    pub inputs: Vec<EntryRecord<Input>>,
}

impl ProjectContents {
    /// The outcome entries in order.
    pub fn outcome_entries(&self) -> Vec<OutcomeEntry> {
        self.outcomes.iter().map(|o| o.entry.clone()).collect()
    }

    /// The input entries in order.
    pub fn input_entries(&self) -> Vec<Input> {
        self.inputs.iter().map(|i| i.entry.clone()).collect()
    }
}

/// A frozen report version, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportVersion {
    /// Opaque id.
    pub id: Uuid,
    /// 1, 2, 3... per project.
    pub number: i64,
    /// What the author called it.
    pub label: String,
    /// The report's content hash.
    pub content_hash: String,
    /// Who froze it.
    pub created_by: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// An evidence file, as listed (the bytes come from [`Store::evidence_file`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceFile {
    /// Opaque id.
    pub id: Uuid,
    /// The outcome it supports.
    pub outcome_id: Uuid,
    /// File name as uploaded (cleaned).
    pub file_name: String,
    /// Media type, checked by the caller against the allowed list.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content (hex).
    pub sha256: String,
    /// Who uploaded it.
    pub uploaded_by: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The two kinds of project entry; both tables have the same shape.
#[derive(Debug, Clone, Copy)]
enum EntryKind {
    Outcome,
    Input,
}

impl EntryKind {
    const fn table(self) -> &'static str {
        match self {
            Self::Outcome => "project_outcomes",
            Self::Input => "project_inputs",
        }
    }
    const fn entity(self) -> &'static str {
        match self {
            Self::Outcome => "project_outcome",
            Self::Input => "project_input",
        }
    }
}

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: String,
    organisation_id: String,
    details: String,
    archived_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ProjectRow {
    fn into_record(self) -> Result<ProjectRecord, StoreError> {
        Ok(ProjectRecord {
            id: parse_id(&self.id)?,
            organisation_id: parse_id(&self.organisation_id)?,
            details: serde_json::from_str(&self.details)?,
            archived_at: self.archived_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    project: ProjectRow,
    outcomes: i64,
    inputs: i64,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: String,
    position: i64,
    data: String,
}

impl EntryRow {
    fn into_record<T: DeserializeOwned>(self) -> Result<EntryRecord<T>, StoreError> {
        Ok(EntryRecord {
            id: parse_id(&self.id)?,
            position: self.position,
            entry: serde_json::from_str(&self.data)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: String,
    number: i64,
    label: String,
    content_hash: String,
    created_by: Option<String>,
    created_at: DateTime<Utc>,
}

impl VersionRow {
    fn into_version(self) -> Result<ReportVersion, StoreError> {
        Ok(ReportVersion {
            id: parse_id(&self.id)?,
            number: self.number,
            label: self.label,
            content_hash: self.content_hash,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct EvidenceRow {
    id: String,
    outcome_id: String,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    sha256: String,
    uploaded_by: Option<String>,
    created_at: DateTime<Utc>,
}

impl EvidenceRow {
    fn into_file(self) -> Result<EvidenceFile, StoreError> {
        Ok(EvidenceFile {
            id: parse_id(&self.id)?,
            outcome_id: parse_id(&self.outcome_id)?,
            file_name: self.file_name,
            content_type: self.content_type,
            size_bytes: self.size_bytes,
            sha256: self.sha256,
            uploaded_by: self.uploaded_by,
            created_at: self.created_at,
        })
    }
}

const PROJECT_COLUMNS: &str = "id, organisation_id, details, archived_at, created_at, updated_at";
const EVIDENCE_COLUMNS: &str =
    "id, outcome_id, file_name, content_type, size_bytes, sha256, uploaded_by, created_at";

/// What the store keeps of an uploaded file besides its bytes: the name without any path or
/// control characters (at most 200 characters, not blank), the size and the SHA-256 (hex).
pub(crate) struct Upload {
    pub(crate) file_name: String,
    pub(crate) size_bytes: i64,
    pub(crate) sha256: String,
}

impl Upload {
    pub(crate) fn of(file_name: &str, content: &[u8]) -> Result<Upload, StoreError> {
        let file_name: String = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        if file_name.trim().is_empty() {
            return Err(StoreError::Invalid("the file has no name".to_string()));
        }
        Ok(Upload {
            file_name,
            size_bytes: i64::try_from(content.len())
                .map_err(|_| StoreError::Invalid("file too large".to_string()))?,
            sha256: Sha256::digest(content)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        })
    }
}

pub(crate) fn parse_id(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text)
        .map_err(|_| StoreError::Invalid(format!("stored id {text:?} is not a UUID")))
}

/// Now, truncated to whole microseconds so values read back equal on both backends.
pub(crate) fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<(String, serde_json::Value), StoreError> {
    let value = serde_json::to_value(value)?;
    Ok((value.to_string(), value))
}

/// Validation is the domain's; the store refuses what the domain refuses, so nothing invalid is
/// ever stored whichever caller writes.
pub(crate) fn checked<E: std::fmt::Display>(result: Result<(), E>) -> Result<(), StoreError> {
    result.map_err(|e| StoreError::Invalid(e.to_string()))
}

impl Store {
    /// Creates a project in an organisation.
    pub async fn create_project(
        &self,
        actor: &str,
        organisation_id: Uuid,
        created_by: Option<Uuid>,
        details: &ProjectDetails,
    ) -> Result<ProjectRecord, StoreError> {
        checked(details.validate())?;
        let at = now();
        let record = ProjectRecord {
            id: Uuid::new_v4(),
            organisation_id,
            details: details.clone(),
            archived_at: None,
            created_at: at,
            updated_at: at,
        };
        let (text, after) = to_json(details)?;
        let id = record.id.to_string();
        let org = organisation_id.to_string();
        let created_by = created_by.map(|u| u.to_string());
        audited_write!(self, at, |tx| {
            insert_project!(&mut *tx, &id, &org, &details.name, &text, &created_by, at)?;
        } audit [NewAuditEntry {
            actor, action: "create", entity: "project", entity_id: &id,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }]);
        Ok(record)
    }

    /// A project by id (any organisation: the caller checks membership).
    pub async fn project(&self, id: Uuid) -> Result<ProjectRecord, StoreError> {
        let sql = format!("SELECT {PROJECT_COLUMNS} FROM projects WHERE id = $1");
        let id = id.to_string();
        let row: ProjectRow = self.row_by(&sql, &id).await?;
        row.into_record()
    }

    /// Projects of these organisations, newest change first, with entry counts; archived ones
    /// only when asked.
    pub async fn projects_of(
        &self,
        organisation_ids: &[Uuid],
        include_archived: bool,
    ) -> Result<Vec<ProjectSummary>, StoreError> {
        let mut out = Vec::new();
        for org in organisation_ids {
            let org = org.to_string();
            let sql = format!(
                "SELECT {PROJECT_COLUMNS}, \
                 (SELECT COUNT(*) FROM project_outcomes o WHERE o.project_id = projects.id) AS outcomes, \
                 (SELECT COUNT(*) FROM project_inputs i WHERE i.project_id = projects.id) AS inputs \
                 FROM projects WHERE organisation_id = $1 {} ORDER BY updated_at DESC, id",
                if include_archived {
                    ""
                } else {
                    "AND archived_at IS NULL"
                }
            );
            let rows: Vec<SummaryRow> = self.rows_by(&sql, &org).await?;
            for row in rows {
                out.push(ProjectSummary {
                    outcomes: row.outcomes,
                    inputs: row.inputs,
                    project: row.project.into_record()?,
                });
            }
        }
        out.sort_by_key(|p| std::cmp::Reverse(p.project.updated_at));
        Ok(out)
    }

    /// Replaces a project's settings.
    pub async fn update_project(
        &self,
        actor: &str,
        id: Uuid,
        details: &ProjectDetails,
    ) -> Result<ProjectRecord, StoreError> {
        checked(details.validate())?;
        let before = self.project(id).await?;
        let at = now();
        let (text, after) = to_json(details)?;
        let before_json = serde_json::to_value(&before.details)?;
        let id_text = id.to_string();
        let org = before.organisation_id.to_string();
        audited_write!(self, at, |tx| {
            sqlx::query("UPDATE projects SET name = $1, details = $2, updated_at = $3 WHERE id = $4")
                .bind(&details.name)
                .bind(&text)
                .bind(at)
                .bind(&id_text)
                .execute(&mut *tx)
                .await?;
        } audit [NewAuditEntry {
            actor, action: "update", entity: "project", entity_id: &id_text,
            before: Some(&before_json), after: Some(&after), organisation_id: Some(&org),
        }]);
        Ok(ProjectRecord {
            details: details.clone(),
            updated_at: at,
            ..before
        })
    }

    /// Archives (hides from the default list) or restores a project.
    pub async fn set_project_archived(
        &self,
        actor: &str,
        id: Uuid,
        archived: bool,
    ) -> Result<ProjectRecord, StoreError> {
        let before = self.project(id).await?;
        let at = now();
        let archived_at = archived.then_some(at);
        let id_text = id.to_string();
        let org = before.organisation_id.to_string();
        let before_json = json!({"archived": before.archived_at.is_some()});
        let after_json = json!({"archived": archived});
        audited_write!(self, at, |tx| {
            sqlx::query("UPDATE projects SET archived_at = $1, updated_at = $2 WHERE id = $3")
                .bind(archived_at)
                .bind(at)
                .bind(&id_text)
                .execute(&mut *tx)
                .await?;
        } audit [NewAuditEntry {
            actor, action: if archived { "archive" } else { "restore" }, entity: "project",
            entity_id: &id_text, before: Some(&before_json), after: Some(&after_json),
            organisation_id: Some(&org),
        }]);
        Ok(ProjectRecord {
            archived_at,
            updated_at: at,
            ..before
        })
    }

    /// Copies a project with its outcomes and inputs under a new name (not its versions or
    /// evidence files), in the same organisation.
    pub async fn duplicate_project(
        &self,
        actor: &str,
        id: Uuid,
        created_by: Option<Uuid>,
        new_name: &str,
    ) -> Result<ProjectRecord, StoreError> {
        let source = self.project_contents(id).await?;
        let mut details = source.project.details.clone();
        details.name = new_name.to_string();
        checked(details.validate())?;
        let at = now();
        let new_id = Uuid::new_v4();
        let new_text = new_id.to_string();
        let org = source.project.organisation_id.to_string();
        let (text, _) = to_json(&details)?;
        let created_by = created_by.map(|u| u.to_string());
        let after = json!({"name": details.name, "copied_from": id.to_string()});
        let mut rows: Vec<(&'static str, String, i64, String)> = Vec::new();
        for o in &source.outcomes {
            rows.push((
                EntryKind::Outcome.table(),
                Uuid::new_v4().to_string(),
                o.position,
                to_json(&o.entry)?.0,
            ));
        }
        for i in &source.inputs {
            rows.push((
                EntryKind::Input.table(),
                Uuid::new_v4().to_string(),
                i.position,
                to_json(&i.entry)?.0,
            ));
        }
        audited_write!(self, at, |tx| {
            insert_project!(&mut *tx, &new_text, &org, &details.name, &text, &created_by, at)?;
            for (table, entry_id, position, data) in &rows {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO {table} (id, project_id, position, data, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)"
                )))
                .bind(entry_id)
                .bind(&new_text)
                .bind(position)
                .bind(data)
                .bind(at)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
        } audit [NewAuditEntry {
            actor, action: "duplicate", entity: "project", entity_id: &new_text,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }]);
        Ok(ProjectRecord {
            id: new_id,
            organisation_id: source.project.organisation_id,
            details,
            archived_at: None,
            created_at: at,
            updated_at: at,
        })
    }

    /// A project with its outcomes and inputs in order.
    pub async fn project_contents(&self, id: Uuid) -> Result<ProjectContents, StoreError> {
        let project = self.project(id).await?;
        Ok(ProjectContents {
            outcomes: self.entries(EntryKind::Outcome, id).await?,
            inputs: self.entries(EntryKind::Input, id).await?,
            project,
        })
    }

    async fn entries<T: DeserializeOwned>(
        &self,
        kind: EntryKind,
        project_id: Uuid,
    ) -> Result<Vec<EntryRecord<T>>, StoreError> {
        let sql = format!(
            "SELECT id, position, data FROM {} WHERE project_id = $1 ORDER BY position, id",
            kind.table()
        );
        let project_id = project_id.to_string();
        let rows: Vec<EntryRow> = self.rows_by(&sql, &project_id).await?;
        rows.into_iter().map(EntryRow::into_record).collect()
    }

    /// Adds an outcome at the end of the project's list.
    pub async fn add_outcome(
        &self,
        actor: &str,
        project_id: Uuid,
        entry: &OutcomeEntry,
    ) -> Result<EntryRecord<OutcomeEntry>, StoreError> {
        checked(entry.validate())?;
        self.add_entry(actor, EntryKind::Outcome, project_id, entry)
            .await
    }

    /// Adds an input at the end of the project's list.
    pub async fn add_input(
        &self,
        actor: &str,
        project_id: Uuid,
        entry: &Input,
    ) -> Result<EntryRecord<Input>, StoreError> {
        checked(svatlas_domain::calculator::validate_input(entry))?;
        self.add_entry(actor, EntryKind::Input, project_id, entry)
            .await
    }

    /// Replaces an outcome; [`StoreError::NotFound`] unless it belongs to the project.
    pub async fn update_outcome(
        &self,
        actor: &str,
        project_id: Uuid,
        outcome_id: Uuid,
        entry: &OutcomeEntry,
    ) -> Result<EntryRecord<OutcomeEntry>, StoreError> {
        checked(entry.validate())?;
        self.update_entry(actor, EntryKind::Outcome, project_id, outcome_id, entry)
            .await
    }

    /// Replaces an input; [`StoreError::NotFound`] unless it belongs to the project.
    pub async fn update_input(
        &self,
        actor: &str,
        project_id: Uuid,
        input_id: Uuid,
        entry: &Input,
    ) -> Result<EntryRecord<Input>, StoreError> {
        checked(svatlas_domain::calculator::validate_input(entry))?;
        self.update_entry(actor, EntryKind::Input, project_id, input_id, entry)
            .await
    }

    /// Deletes an outcome (and its evidence files).
    pub async fn delete_outcome(
        &self,
        actor: &str,
        project_id: Uuid,
        outcome_id: Uuid,
    ) -> Result<(), StoreError> {
        self.delete_entry(actor, EntryKind::Outcome, project_id, outcome_id)
            .await
    }

    /// Deletes an input.
    pub async fn delete_input(
        &self,
        actor: &str,
        project_id: Uuid,
        input_id: Uuid,
    ) -> Result<(), StoreError> {
        self.delete_entry(actor, EntryKind::Input, project_id, input_id)
            .await
    }

    async fn add_entry<T: Serialize + Clone>(
        &self,
        actor: &str,
        kind: EntryKind,
        project_id: Uuid,
        entry: &T,
    ) -> Result<EntryRecord<T>, StoreError> {
        let project = self.project(project_id).await?;
        let at = now();
        let id = Uuid::new_v4();
        let id_text = id.to_string();
        let project_text = project_id.to_string();
        let org = project.organisation_id.to_string();
        let (text, after) = to_json(entry)?;
        let table = kind.table();
        let count_sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(MAX(position), 0) AS BIGINT) \
             FROM {table} WHERE project_id = $1"
        );
        let insert_sql = format!(
            "INSERT INTO {table} (id, project_id, position, data, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        );
        let position = audited_write!(self, at, |tx| {
            let (count, last): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql.as_str()))
                .bind(&project_text)
                .fetch_one(&mut *tx)
                .await?;
            if count >= MAX_ENTRIES {
                return Err(StoreError::Invalid(format!(
                    "a project can hold at most {MAX_ENTRIES} {}s",
                    kind.entity().trim_start_matches("project_")
                )));
            }
            let position = last + 1;
            sqlx::query(sqlx::AssertSqlSafe(insert_sql.as_str()))
                .bind(&id_text)
                .bind(&project_text)
                .bind(position)
                .bind(&text)
                .bind(at)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            touch_project!(&mut *tx, &project_text, at)?;
        } audit [NewAuditEntry {
            actor, action: "create", entity: kind.entity(), entity_id: &id_text,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }] => position);
        Ok(EntryRecord {
            id,
            position,
            entry: entry.clone(),
        })
    }

    async fn update_entry<T: Serialize + Clone>(
        &self,
        actor: &str,
        kind: EntryKind,
        project_id: Uuid,
        entry_id: Uuid,
        entry: &T,
    ) -> Result<EntryRecord<T>, StoreError> {
        let project = self.project(project_id).await?;
        let at = now();
        let id_text = entry_id.to_string();
        let project_text = project_id.to_string();
        let org = project.organisation_id.to_string();
        let (text, after) = to_json(entry)?;
        let table = kind.table();
        let select_sql =
            format!("SELECT id, position, data FROM {table} WHERE id = $1 AND project_id = $2");
        let update_sql = format!("UPDATE {table} SET data = $1, updated_at = $2 WHERE id = $3");
        let position = audited_write!(self, at, |tx| {
            let old: EntryRow = sqlx::query_as(sqlx::AssertSqlSafe(select_sql.as_str()))
                .bind(&id_text)
                .bind(&project_text)
                .fetch_one(&mut *tx)
                .await?;
            let before: serde_json::Value = serde_json::from_str(&old.data)?;
            sqlx::query(sqlx::AssertSqlSafe(update_sql.as_str()))
                .bind(&text)
                .bind(at)
                .bind(&id_text)
                .execute(&mut *tx)
                .await?;
            touch_project!(&mut *tx, &project_text, at)?;
        } audit [NewAuditEntry {
            actor, action: "update", entity: kind.entity(), entity_id: &id_text,
            before: Some(&before), after: Some(&after), organisation_id: Some(&org),
        }] => old.position);
        Ok(EntryRecord {
            id: entry_id,
            position,
            entry: entry.clone(),
        })
    }

    async fn delete_entry(
        &self,
        actor: &str,
        kind: EntryKind,
        project_id: Uuid,
        entry_id: Uuid,
    ) -> Result<(), StoreError> {
        let project = self.project(project_id).await?;
        let at = now();
        let id_text = entry_id.to_string();
        let project_text = project_id.to_string();
        let org = project.organisation_id.to_string();
        let table = kind.table();
        let select_sql =
            format!("SELECT id, position, data FROM {table} WHERE id = $1 AND project_id = $2");
        let delete_sql = format!("DELETE FROM {table} WHERE id = $1");
        audited_write!(self, at, |tx| {
            let old: EntryRow = sqlx::query_as(sqlx::AssertSqlSafe(select_sql.as_str()))
                .bind(&id_text)
                .bind(&project_text)
                .fetch_one(&mut *tx)
                .await?;
            let before: serde_json::Value = serde_json::from_str(&old.data)?;
            sqlx::query(sqlx::AssertSqlSafe(delete_sql.as_str())).bind(&id_text).execute(&mut *tx).await?;
            touch_project!(&mut *tx, &project_text, at)?;
        } audit [NewAuditEntry {
            actor, action: "delete", entity: kind.entity(), entity_id: &id_text,
            before: Some(&before), after: None, organisation_id: Some(&org),
        }]);
        Ok(())
    }

    /// An organisation's own proxies, oldest first.
    pub async fn organisation_proxies(
        &self,
        organisation_id: Uuid,
    ) -> Result<Vec<Proxy>, StoreError> {
        let org = organisation_id.to_string();
        let rows: Vec<(String,)> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT data FROM organisation_proxies WHERE organisation_id = $1 ORDER BY created_at, id",
            )
            .bind(&org)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(data,)| serde_json::from_str(&data).map_err(StoreError::from))
            .collect()
    }

    /// Adds a proxy to an organisation's own library; its id is assigned here (`ORG-` and
    /// 8 hex digits) so it can never collide with a shipped id.
    pub async fn add_organisation_proxy(
        &self,
        actor: &str,
        organisation_id: Uuid,
        proxy: &Proxy,
    ) -> Result<Proxy, StoreError> {
        let uuid = Uuid::new_v4();
        let mut proxy = proxy.clone();
        proxy.id = format!("ORG-{}", &uuid.simple().to_string()[..8].to_uppercase());
        proxy.verification = svatlas_domain::calculator::Verification::OwnProxy;
        if proxy.name.trim().is_empty() || !proxy.value_gbp.is_finite() {
            return Err(StoreError::Invalid(
                "a proxy needs a name and a finite value".to_string(),
            ));
        }
        let at = now();
        let (text, after) = to_json(&proxy)?;
        let id_text = uuid.to_string();
        let org = organisation_id.to_string();
        audited_write!(self, at, |tx| {
            sqlx::query(
                "INSERT INTO organisation_proxies (id, organisation_id, data, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&id_text)
            .bind(&org)
            .bind(&text)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        } audit [NewAuditEntry {
            actor, action: "create", entity: "proxy", entity_id: &proxy.id,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }]);
        Ok(proxy)
    }

    /// Freezes a report as the project's next numbered version.
    pub async fn freeze_report(
        &self,
        actor: &str,
        project_id: Uuid,
        label: &str,
        report: &ProjectReport,
    ) -> Result<ReportVersion, StoreError> {
        let label = label.trim();
        if label.chars().count() > 200 {
            return Err(StoreError::Invalid(
                "a version label must be at most 200 characters".to_string(),
            ));
        }
        let project = self.project(project_id).await?;
        let at = now();
        let id = Uuid::new_v4();
        let id_text = id.to_string();
        let project_text = project_id.to_string();
        let org = project.organisation_id.to_string();
        let text = serde_json::to_string(report)?;
        let hash = report.content_hash.clone();
        let number = audited_write!(self, at, |tx| {
            let (count, last): (i64, i64) = sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(MAX(number), 0) AS BIGINT) \
                 FROM report_versions WHERE project_id = $1",
            )
            .bind(&project_text)
            .fetch_one(&mut *tx)
            .await?;
            if count >= MAX_VERSIONS {
                return Err(StoreError::Invalid(format!(
                    "a project can keep at most {MAX_VERSIONS} report versions"
                )));
            }
            let number = last + 1;
            sqlx::query(
                "INSERT INTO report_versions (id, project_id, number, label, content_hash, \
                 report, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id_text)
            .bind(&project_text)
            .bind(number)
            .bind(label)
            .bind(&hash)
            .bind(&text)
            .bind(actor)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let after = json!({"number": number, "label": label, "content_hash": hash});
        } audit [NewAuditEntry {
            actor, action: "freeze", entity: "report_version", entity_id: &id_text,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }] => number);
        Ok(ReportVersion {
            id,
            number,
            label: label.to_string(),
            content_hash: hash,
            created_by: Some(actor.to_string()),
            created_at: at,
        })
    }

    /// A project's frozen versions, newest first.
    pub async fn report_versions(
        &self,
        project_id: Uuid,
    ) -> Result<Vec<ReportVersion>, StoreError> {
        let project_text = project_id.to_string();
        let rows: Vec<VersionRow> = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT id, number, label, content_hash, created_by, created_at \
                 FROM report_versions WHERE project_id = $1 ORDER BY number DESC",
            )
            .bind(&project_text)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(VersionRow::into_version).collect()
    }

    /// One frozen version with its report exactly as frozen.
    pub async fn report_version(
        &self,
        project_id: Uuid,
        number: i64,
    ) -> Result<(ReportVersion, ProjectReport), StoreError> {
        let project_text = project_id.to_string();
        let row: (
            String,
            i64,
            String,
            String,
            Option<String>,
            DateTime<Utc>,
            String,
        ) = dispatch!(self, pool => {
            sqlx::query_as(
                "SELECT id, number, label, content_hash, created_by, created_at, report \
                 FROM report_versions WHERE project_id = $1 AND number = $2",
            )
            .bind(&project_text)
            .bind(number)
            .fetch_one(pool)
            .await?
        });
        let (id, number, label, content_hash, created_by, created_at, report) = row;
        let version = VersionRow {
            id,
            number,
            label,
            content_hash,
            created_by,
            created_at,
        }
        .into_version()?;
        Ok((version, serde_json::from_str(&report)?))
    }

    /// Stores an evidence file for one of the project's outcomes. Size and type limits are the
    /// caller's (the web layer knows its upload rules); the count limit is here.
    pub async fn add_evidence(
        &self,
        actor: &str,
        project_id: Uuid,
        outcome_id: Uuid,
        file_name: &str,
        content_type: &str,
        content: &[u8],
    ) -> Result<EvidenceFile, StoreError> {
        let project = self.project(project_id).await?;
        let upload = Upload::of(file_name, content)?;
        let at = now();
        let file = EvidenceFile {
            id: Uuid::new_v4(),
            outcome_id,
            file_name: upload.file_name,
            content_type: content_type.to_string(),
            size_bytes: upload.size_bytes,
            sha256: upload.sha256,
            uploaded_by: Some(actor.to_string()),
            created_at: at,
        };
        let id_text = file.id.to_string();
        let project_text = project_id.to_string();
        let outcome_text = outcome_id.to_string();
        let org = project.organisation_id.to_string();
        let after = json!({"outcome_id": outcome_text, "file_name": file.file_name,
            "content_type": file.content_type, "size_bytes": file.size_bytes, "sha256": file.sha256});
        audited_write!(self, at, |tx| {
            let (outcomes, files): (i64, i64) = sqlx::query_as(
                "SELECT CAST((SELECT COUNT(*) FROM project_outcomes WHERE id = $1 AND project_id = $2) AS BIGINT), \
                 CAST((SELECT COUNT(*) FROM evidence_files WHERE project_id = $2) AS BIGINT)",
            )
            .bind(&outcome_text)
            .bind(&project_text)
            .fetch_one(&mut *tx)
            .await?;
            if outcomes != 1 {
                return Err(StoreError::NotFound);
            }
            if files >= MAX_EVIDENCE_FILES {
                return Err(StoreError::Invalid(format!(
                    "a project can hold at most {MAX_EVIDENCE_FILES} evidence files"
                )));
            }
            sqlx::query(
                "INSERT INTO evidence_files (id, project_id, outcome_id, file_name, content_type, \
                 size_bytes, sha256, content, uploaded_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&id_text)
            .bind(&project_text)
            .bind(&outcome_text)
            .bind(&file.file_name)
            .bind(&file.content_type)
            .bind(file.size_bytes)
            .bind(&file.sha256)
            .bind(content)
            .bind(actor)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        } audit [NewAuditEntry {
            actor, action: "create", entity: "evidence_file", entity_id: &id_text,
            before: None, after: Some(&after), organisation_id: Some(&org),
        }]);
        Ok(file)
    }

    /// The project's evidence files, as listed.
    pub async fn evidence_of(&self, project_id: Uuid) -> Result<Vec<EvidenceFile>, StoreError> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence_files WHERE project_id = $1 ORDER BY created_at, id"
        );
        let project_text = project_id.to_string();
        let rows: Vec<EvidenceRow> = self.rows_by(&sql, &project_text).await?;
        rows.into_iter().map(EvidenceRow::into_file).collect()
    }

    /// One evidence file with its bytes; [`StoreError::NotFound`] unless it belongs to the
    /// project.
    pub async fn evidence_file(
        &self,
        project_id: Uuid,
        file_id: Uuid,
    ) -> Result<(EvidenceFile, Vec<u8>), StoreError> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence_files WHERE id = $1 AND project_id = $2"
        );
        let content_sql = "SELECT content FROM evidence_files WHERE id = $1";
        let id_text = file_id.to_string();
        let project_text = project_id.to_string();
        let (row, content): (EvidenceRow, Vec<u8>) = dispatch!(self, pool => {
            let row: EvidenceRow = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(&id_text)
                .bind(&project_text)
                .fetch_one(pool)
                .await?;
            let content: Vec<u8> = sqlx::query_scalar(content_sql)
                .bind(&id_text)
                .fetch_one(pool)
                .await?;
            (row, content)
        });
        Ok((row.into_file()?, content))
    }
}

/// Inserts a new, unarchived project row (a created or a duplicated project) inside a
/// transaction.
macro_rules! insert_project {
    ($executor:expr, $id:expr, $org:expr, $name:expr, $details:expr, $created_by:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO projects (id, organisation_id, name, details, archived_at, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, NULL, $5, $6, $7)",
        )
        .bind($id)
        .bind($org)
        .bind($name)
        .bind($details)
        .bind($created_by)
        .bind($at)
        .bind($at)
        .execute($executor)
        .await
    };
}
use insert_project;

/// Marks a project changed (its list is ordered by last change) inside a transaction.
macro_rules! touch_project {
    ($executor:expr, $project_id:expr, $at:expr) => {
        sqlx::query("UPDATE projects SET updated_at = $1 WHERE id = $2")
            .bind($at)
            .bind($project_id)
            .execute($executor)
            .await
    };
}
use touch_project;
