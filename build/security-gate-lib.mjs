// The pure half of the security gate (build/security-gate.mjs): reads electronegativity's findings
// from SARIF, checks the reviewed allowlist, and decides. No I/O here, so tests can feed it crafted
// SARIF and allowlists.

/** electronegativity's severities, lowest first. */
export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];
/** What fails the gate unless an allowlist entry justifies it. */
export const BLOCKING = new Set(['HIGH', 'MEDIUM']);
/** The file of a finding about the application as a whole (a global check with no location). */
export const WHOLE_APP = '(whole app)';

const ALLOWLIST_KEYS = ['rule', 'file', 'reason', 'reviewedBy', 'date'];
const MIN_REASON_LENGTH = 40;

/**
 * electronegativity's own SARIF carries no severity or confidence (its `level` is only `note` for
 * "review required" or `warning`), so the gate writes the SARIF itself from the scanner's results,
 * in the same layout, with both in each result's `properties`.
 */
export function toSarif(issues, { toolVersion }) {
  const rules = [];
  const seen = new Set();
  const results = issues.map((issue) => {
    if (!seen.has(issue.id)) {
      seen.add(issue.id);
      rules.push({
        id: issue.id,
        fullDescription: { text: issue.description },
        properties: { category: 'Security' },
        helpUri: `https://github.com/doyensec/electronegativity/wiki/${issue.id}`,
      });
    }
    const hasFile = typeof issue.file === 'string' && issue.file !== 'N/A';
    return {
      ruleId: issue.id,
      level: issue.manualReview ? 'note' : 'warning',
      message: { text: issue.description },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: hasFile ? issue.file.split('\\').join('/') : 'file:///' },
            region: { startLine: Math.max(1, issue.location?.line ?? 1), startColumn: (issue.location?.column ?? 0) + 1 },
          },
        },
      ],
      properties: { severity: issue.severity?.name, confidence: issue.confidence?.name, manualReview: Boolean(issue.manualReview) },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Electronegativity', version: toolVersion, informationUri: 'https://github.com/doyensec/electronegativity', rules } }, results }],
  };
}

/**
 * Every result of every run. A result without a known severity counts as HIGH: a finding the gate
 * cannot rank must not slip through as harmless.
 */
export function findingsFromSarif(sarif) {
  if (!sarif || !Array.isArray(sarif.runs)) throw new Error('Not a SARIF log: no "runs" array.');
  return sarif.runs.flatMap((run) =>
    (run.results ?? []).map((result) => {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri;
      const declared = result.properties?.severity;
      const known = SEVERITIES.includes(declared);
      return {
        rule: String(result.ruleId ?? result.rule?.id ?? 'UNKNOWN_RULE'),
        file: normaliseFile(uri),
        line: location?.region?.startLine ?? 1,
        column: location?.region?.startColumn ?? 1,
        severity: known ? declared : 'HIGH',
        severityAssumed: !known,
        confidence: String(result.properties?.confidence ?? 'UNKNOWN'),
        manualReview: result.level === 'note' || result.properties?.manualReview === true,
        message: String(result.message?.text ?? ''),
      };
    }),
  );
}

function normaliseFile(uri) {
  if (typeof uri !== 'string' || uri === '' || uri === 'file:///' || uri === 'N/A') return WHOLE_APP;
  return uri.split('\\').join('/').replace(/^\.\//, '');
}

/** Checks the allowlist's shape; each entry must say what, where, why, who and when. */
export function validateAllowlist(json) {
  const problems = [];
  if (!Array.isArray(json)) return { entries: [], problems: ['The allowlist must be a JSON array of entries.'] };
  const keys = new Set();
  json.forEach((entry, index) => {
    const where = `allowlist entry ${index + 1}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`${where} is not an object.`);
      return;
    }
    for (const key of Object.keys(entry)) if (!ALLOWLIST_KEYS.includes(key)) problems.push(`${where} has an unknown field "${key}".`);
    if (typeof entry.rule !== 'string' || !/^[A-Z0-9_]+$/.test(entry.rule)) problems.push(`${where} needs "rule", an electronegativity check id such as PRELOAD_JS_CHECK.`);
    if (typeof entry.file !== 'string' || !isRelativePath(entry.file)) problems.push(`${where} needs "file", a path relative to the repository (or "${WHOLE_APP}").`);
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < MIN_REASON_LENGTH) problems.push(`${where} needs a "reason" that says why this is safe (at least ${MIN_REASON_LENGTH} characters).`);
    if (typeof entry.reviewedBy !== 'string' || entry.reviewedBy.trim() === '') problems.push(`${where} needs "reviewedBy".`);
    if (typeof entry.date !== 'string' || !isIsoDate(entry.date)) problems.push(`${where} needs "date" as YYYY-MM-DD.`);
    const key = `${entry.rule}\u0000${entry.file}`;
    if (keys.has(key)) problems.push(`${where} repeats ${entry.rule} in ${entry.file}.`);
    keys.add(key);
  });
  return { entries: problems.length ? [] : json, problems };
}

function isRelativePath(file) {
  if (file === WHOLE_APP) return true;
  return file.length > 0 && !file.startsWith('/') && !/^[A-Za-z]:/.test(file) && !file.includes('\\') && !file.split('/').includes('..');
}

function isIsoDate(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/**
 * The decision. HIGH and MEDIUM findings fail unless an entry (same rule, same file) justifies them;
 * LOW and INFORMATIONAL are shown and ignored. An entry that justifies no HIGH or MEDIUM finding is
 * stale and fails too, so the list only ever holds what was reviewed and is still there.
 */
export function evaluate(findings, allowlist) {
  const matches = (entry, finding) => entry.rule === finding.rule && entry.file === finding.file;
  const rows = findings.map((finding) => {
    const blocking = BLOCKING.has(finding.severity);
    const allowedBy = blocking ? allowlist.find((entry) => matches(entry, finding)) : undefined;
    return { finding, blocking, allowedBy, status: !blocking ? 'ignored' : allowedBy ? 'allowed' : 'FAIL' };
  });
  const unjustified = rows.filter((row) => row.status === 'FAIL').map((row) => row.finding);
  const stale = allowlist.filter((entry) => !rows.some((row) => row.blocking && matches(entry, row.finding)));
  return { rows, unjustified, stale, ok: unjustified.length === 0 && stale.length === 0 };
}

/** A plain-text table, most severe first, then what is wrong with the allowlist. */
export function formatReport({ rows, stale }) {
  const order = (row) => -SEVERITIES.indexOf(row.finding.severity);
  const sorted = [...rows].sort((a, b) => order(a) - order(b) || a.finding.rule.localeCompare(b.finding.rule) || a.finding.file.localeCompare(b.finding.file));
  const table = [['status', 'severity', 'confidence', 'rule', 'where'], ...sorted.map(({ status, finding }) => [status, `${finding.severity}${finding.severityAssumed ? '?' : ''}`, finding.confidence, finding.rule, finding.file === WHOLE_APP ? WHOLE_APP : `${finding.file}:${finding.line}:${finding.column}`])];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  const lines = table.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  if (rows.length === 0) lines.push('(no findings)');
  for (const entry of stale) lines.push(`STALE allowlist entry: ${entry.rule} in ${entry.file} matches no HIGH or MEDIUM finding; remove it.`);
  return lines.join('\n');
}
