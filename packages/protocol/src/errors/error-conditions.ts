// Error-condition codes (<EC>, `NNNN-NNNNNNNN`) that Upcall emits, spelled in one place.
// Each is taken from OSS's EC troubleshooting pages [D9] as quoted in oss-protocol §3.4, §4.2–§4.5.
// Where OSS documents no dedicated EC for a case we use the generic policy page 0006-00000201
// (docs/protocol-decisions.md "Policy").
export const errorConditions = {
  /** V4 `x-oss-credential` malformed (§3.4). */
  credentialMalformed: '0002-00000710',
  /** File larger than 5 GB or above content-length-range max (§4.5). */
  entityTooLarge: '0006-00000003',
  /** File below content-length-range min (§4.5). */
  entityTooSmall: '0006-00000004',
  /** Generic "policy form field invalid" page; our fallback for undocumented policy cases. */
  policyInvalid: '0006-00000201',
  /** Policy is not Base64 [D9 0006-00000202]. */
  policyNotBase64: '0006-00000202',
  /** Decoded policy is not UTF-8 [D9 0006-00000203]. */
  policyNotUtf8: '0006-00000203',
  /** Decoded policy is not a valid JSON structure [D9 0006-00000204]. */
  policyNotJson: '0006-00000204',
  conditionsMissing: '0006-00000207',
  expirationMissing: '0006-00000208',
  expirationAndConditionsMissing: '0006-00000209',
  expirationNotString: '0006-00000210',
  expirationEmpty: '0006-00000211',
  expirationMalformed: '0006-00000212',
  policyExpired: '0006-00000213',
  conditionsEmpty: '0006-00000215',
  conditionUnknownMode: '0006-00000216',
  conditionWrongArity: '0006-00000218',
  contentLengthRangeMaxBelowMin: '0006-00000219',
  contentLengthRangeNotInteger: '0006-00000221',
  conditionNotMapOrList: '0006-00000222',
  conditionListExpected: '0006-00000224',
  policyConditionFailed: '0006-00000227',
  requestTimeTooSkewed: '0002-00000504',
} as const;

export type ErrorConditionName = keyof typeof errorConditions;
