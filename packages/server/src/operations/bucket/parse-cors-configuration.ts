// The PutBucketCors document (oss-protocol §12): `<CORSConfiguration>` with 1–10 `<CORSRule>`s, each
// with ≥ 1 AllowedOrigin (≤ 1 `*` each) and ≥ 1 AllowedMethod (GET, PUT, DELETE, POST, HEAD), any
// AllowedHeader (≤ 1 `*` each), ExposeHeader (no `*`) and an optional MaxAgeSeconds; an optional
// `<ResponseVary>`. Parsed with DTDs refused (threats §C8.68, MalformedXML); rule violations are
// InvalidArgument with the offending element named.
import { OssError } from '@upcall/protocol';
import type { BucketCors, BucketCorsRule } from '../../store/object-store.js';
import {
  findChildren,
  malformedXml,
  parseXmlDocument,
  readChildText,
  type XmlElement,
} from '../xml/parse-xml-document.js';

export const maxCorsRules = 10;
/** OSS: the CORS configuration may not exceed 16 KB (§12). */
export const maxCorsBodyBytes = 16 * 1024;
export const corsRuleMethods = ['GET', 'PUT', 'DELETE', 'POST', 'HEAD'] as const;

function invalid(message: string, argumentName: string, value?: string): OssError {
  const extra: Array<[string, string]> = [['ArgumentName', argumentName]];
  if (value !== undefined) extra.push(['ArgumentValue', value]);
  return new OssError('InvalidArgument', { message, extra });
}

function texts(rule: XmlElement, name: string): string[] {
  return findChildren(rule, name).map((child) => child.text.trim());
}

function checkPatterns(values: readonly string[], name: string, maxStars: number): void {
  for (const value of values) {
    const stars = value.split('*').length - 1;
    if (value === '' || stars > maxStars) {
      throw invalid(`Each ${name} may hold at most ${maxStars} "*" and must not be empty.`, name, value);
    }
  }
}

function readMethods(rule: XmlElement): string[] {
  return texts(rule, 'AllowedMethod').map((value) => {
    const method = corsRuleMethods.find((candidate) => candidate === value.toUpperCase());
    if (method === undefined) throw invalid(`Unsupported AllowedMethod ${value}.`, 'AllowedMethod', value);
    return method;
  });
}

function readMaxAge(rule: XmlElement): number | undefined {
  const text = readChildText(rule, 'MaxAgeSeconds')?.trim();
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text))
    throw invalid('MaxAgeSeconds must be a non-negative integer.', 'MaxAgeSeconds', text);
  return Number(text);
}

export function parseCorsRule(rule: XmlElement): BucketCorsRule {
  const allowedOrigins = texts(rule, 'AllowedOrigin');
  const allowedMethods = readMethods(rule);
  if (allowedOrigins.length === 0) throw invalid('A CORSRule needs an AllowedOrigin.', 'AllowedOrigin');
  if (allowedMethods.length === 0) throw invalid('A CORSRule needs an AllowedMethod.', 'AllowedMethod');
  checkPatterns(allowedOrigins, 'AllowedOrigin', 1);
  const allowedHeaders = texts(rule, 'AllowedHeader');
  checkPatterns(allowedHeaders, 'AllowedHeader', 1);
  const exposeHeaders = texts(rule, 'ExposeHeader');
  checkPatterns(exposeHeaders, 'ExposeHeader', 0);
  const maxAgeSeconds = readMaxAge(rule);
  return {
    allowedOrigins,
    allowedMethods,
    allowedHeaders,
    exposeHeaders,
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
  };
}

function readResponseVary(root: XmlElement): boolean {
  const text = readChildText(root, 'ResponseVary')?.trim().toLowerCase();
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw malformedXml('ResponseVary must be true or false.');
}

export function parseCorsConfiguration(xml: string): BucketCors {
  const root = parseXmlDocument(xml, 'CORSConfiguration');
  const rules = findChildren(root, 'CORSRule');
  if (rules.length === 0) throw malformedXml('The CORSConfiguration must hold at least one CORSRule.');
  if (rules.length > maxCorsRules)
    throw invalid(`At most ${maxCorsRules} CORS rules are allowed.`, 'CORSRule');
  return { rules: rules.map(parseCorsRule), responseVary: readResponseVary(root) };
}
