// The triage engine and the vocabulary it shares with tickets (`Priority`, `Impact`, `TriageResult`)
// live in TriageKit; the service re-exports them, so its files and its clients keep seeing them
// through `import MaintenanceService`.
@_exported import TriageKit
