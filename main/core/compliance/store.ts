/**
 * Rule sets and check runs in the workspace; per-department monthly rates; the five-category
 * rate fed to the compliance_rate metric. STUB — see /tmp/prompts/store.md.
 */
export {};
