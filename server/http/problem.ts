/**
 * RFC 9457 problem details. Every error the API returns is `application/problem+json`
 * with a stable `type` URI and a stable `code` (clients localize from the code).
 */
import type { Response } from "express";
import { z } from "zod";
import { DOMAIN_ERROR_CODES, type DomainError, type DomainErrorCode } from "../domain/errors.ts";

export const PROBLEM_BASE = "https://refmint.dev/problems/";

/** HTTP-layer problems (the domain's codes are added below). */
const HTTP_PROBLEMS = {
  validation_failed: { status: 400, title: "The request is invalid" },
  malformed_json: { status: 400, title: "The body is not valid JSON" },
  malformed_url: { status: 400, title: "The URL is not valid percent-encoding" },
  malformed_body: { status: 400, title: "The body could not be decoded" },
  auth_required: { status: 401, title: "Authentication is required" },
  init_data_invalid: { status: 401, title: "Telegram init data is invalid" },
  init_data_expired: { status: 401, title: "Telegram init data has expired" },
  init_data_from_future: { status: 401, title: "Telegram init data is dated in the future" },
  admin_token_invalid: { status: 401, title: "The admin token is invalid" },
  api_key_invalid: { status: 401, title: "The API key is invalid or revoked" },
  webhook_signature_invalid: { status: 401, title: "The webhook signature is invalid" },
  webhook_timestamp_invalid: {
    status: 401,
    title: "The webhook timestamp is outside the allowed window",
  },
  route_not_found: { status: 404, title: "No such endpoint" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  payload_too_large: { status: 413, title: "The body is too large" },
  unsupported_media_type: { status: 415, title: "Unsupported content type" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal error" },
  not_ready: { status: 503, title: "Not ready" },
  wallet_required: { status: 409, title: "Link a wallet first" },
  order_expired: { status: 422, title: "The order has expired" },
  price_changed: { status: 409, title: "The perk costs more than the order allows" },
  order_ref_used: { status: 409, title: "The order reference was used before" },
  order_refused: { status: 422, title: "The shop would refuse this order" },
  out_of_stock: { status: 409, title: "The perk is out of stock" },
  perk_expired: { status: 410, title: "The perk is no longer on sale" },
  insufficient_balance: { status: 409, title: "Not enough tokens for this perk" },
  tier_too_low: { status: 403, title: "The perk needs a higher tier" },
  badge_required: { status: 403, title: "The perk needs a badge the wallet does not hold" },
} as const satisfies Record<string, { status: number; title: string }>;

const DOMAIN_PROBLEMS: Record<DomainErrorCode, { status: number; title: string }> = {
  not_found: { status: 404, title: "Not found" },
  forbidden: { status: 403, title: "Not allowed" },
  role_unknown: { status: 422, title: "No such role" },
  member_not_found: { status: 404, title: "No such member" },
  member_banned: { status: 403, title: "The member is banned" },
  campaign_not_found: { status: 404, title: "No such campaign" },
  campaign_inactive: { status: 409, title: "The campaign is not running" },
  invalid_code: { status: 422, title: "Not a valid referral code" },
  unknown_code: { status: 422, title: "Unknown referral code" },
  referrer_banned: { status: 422, title: "The code's owner is banned" },
  self_referral: { status: 422, title: "Members cannot refer themselves" },
  referral_loop: { status: 422, title: "This would create a referral loop" },
  already_attributed: { status: 409, title: "The member was already referred" },
  not_new_member: { status: 409, title: "Only new members can be referred" },
  code_taken: { status: 409, title: "The code is taken" },
  wallet_taken: { status: 409, title: "The wallet is linked to another member" },
  address_screened: { status: 403, title: "The address is on a screening list" },
  screening_list_invalid: { status: 400, title: "The screening list is not valid" },
  nonce_invalid: { status: 422, title: "The sign-in nonce is unknown, used or expired" },
  siwe_invalid: { status: 422, title: "The sign-in message is invalid" },
  signature_invalid: { status: 422, title: "The signature does not match" },
  review_not_found: { status: 404, title: "No such review item" },
  review_closed: { status: 409, title: "The review item is already decided" },
  broadcast_not_found: { status: 404, title: "No such broadcast" },
  broadcast_invalid: { status: 422, title: "The broadcast cannot be sent as composed" },
  challenge_unknown: { status: 404, title: "No such challenge" },
  checkin_unavailable: { status: 409, title: "The campaign has no daily check-in" },
  survey_not_found: { status: 404, title: "No such survey" },
  survey_closed: { status: 409, title: "The survey is closed" },
  answer_invalid: { status: 400, title: "The answer does not fit the question" },
  partner_unknown: { status: 401, title: "Unknown partner" },
  partner_event_conflict: { status: 409, title: "The event id was used with another payload" },
  login_link_invalid: { status: 401, title: "The login link is not valid" },
  login_link_used: { status: 401, title: "The login link was already used" },
  login_link_expired: { status: 401, title: "The login link has expired" },
  session_invalid: { status: 401, title: "The session has ended; log in again" },
  rules_invalid: { status: 422, title: "The campaign rules are invalid" },
  rules_version_pending: {
    status: 409,
    title: "Another rules version of this campaign is being applied",
  },
  experiment_no_winner: {
    status: 409,
    title: "No variant is significantly better than control (or another one is the winner)",
  },
  campaign_transition_refused: {
    status: 409,
    title: "The campaign cannot make this lifecycle move from its state",
  },
  campaign_exists: { status: 409, title: "A campaign with this slug or on-chain id exists" },
  job_running: { status: 409, title: "A job for this draft is running" },
  not_in_pilot: { status: 403, title: "The campaign is a pilot the member is not part of" },
  terms_not_required: { status: 404, title: "The campaign has no terms to accept" },
  terms_not_accepted: { status: 403, title: "Accept the campaign's terms first" },
  terms_version_mismatch: { status: 409, title: "The terms changed; read the new version" },
  country_invalid: { status: 422, title: "Not a country code" },
  country_required: { status: 403, title: "The campaign needs your country" },
  country_not_allowed: { status: 403, title: "The campaign is not open in your country" },
  language_not_allowed: { status: 403, title: "The campaign is not open in your language" },
  age_not_confirmed: { status: 403, title: "Confirm your age first" },
  age_invalid: { status: 422, title: "Not an age the campaign asks for" },
  member_excluded: { status: 403, title: "The member is excluded from the campaign" },
  referrer_excluded: { status: 422, title: "The code's owner is excluded from the campaign" },
  member_deleted: { status: 410, title: "The member's data was deleted" },
  deletion_not_confirmed: { status: 422, title: "Confirm the deletion" },
  coupon_pool_invalid: { status: 400, title: "The coupon file is not valid" },
  coupon_unknown: { status: 404, title: "No such coupon" },
  coupon_used: { status: 409, title: "The coupon was already used" },
  coupon_revoked: { status: 409, title: "The coupon was revoked" },
  coupon_expired: { status: 409, title: "The coupon has expired" },
  webhook_invalid: { status: 422, title: "The webhook subscription is not valid" },
  partner_key_invalid: { status: 401, title: "The partner API key is not valid" },
  host_event_conflict: { status: 409, title: "The event id was used with another action" },
  perk_unknown: { status: 404, title: "No such perk" },
  perk_exists: { status: 409, title: "A perk with this id exists" },
  perk_invalid: { status: 422, title: "The perk is not valid" },
  perk_expiry_past: { status: 422, title: "The perk's end of sale is in the past" },
  perk_requirement_unknown: {
    status: 422,
    title: "The perk requires a tier or badge the campaign does not have",
  },
  perk_stock_below_sold: {
    status: 409,
    title: "The perk's stock is below the units already redeemed",
  },
  challenge_not_completed: { status: 409, title: "The member has not completed the challenge" },
};

export type ProblemCode = keyof typeof HTTP_PROBLEMS | DomainErrorCode;

export const PROBLEMS: Record<ProblemCode, { status: number; title: string }> = {
  ...HTTP_PROBLEMS,
  ...DOMAIN_PROBLEMS,
};

export const problemType = (code: ProblemCode) => `${PROBLEM_BASE}${code.replaceAll("_", "-")}`;

/** The wire shape, also published in the OpenAPI document. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown());

export type Problem = z.infer<typeof problemSchema>;

/** Throw from handlers and middleware; the error handler renders it. */
export class ProblemError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly extras: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(
    code: ProblemCode,
    detail?: string,
    extras: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(detail ?? PROBLEMS[code].title);
    this.name = "ProblemError";
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.extras = extras;
    this.headers = headers;
  }
}

export function fromDomainError(e: DomainError): ProblemError {
  return new ProblemError(e.code, e.message, { ...e.details });
}

export function sendProblem(res: Response, p: ProblemError, requestId?: string): void {
  const body: Problem = {
    ...p.extras,
    type: problemType(p.code),
    title: PROBLEMS[p.code].title,
    status: p.status,
    code: p.code,
    detail: p.message,
    instance: res.req.originalUrl.split("?")[0],
    requestId,
  };
  for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
  res.status(p.status).type("application/problem+json").send(JSON.stringify(body));
}

export const ALL_PROBLEM_CODES = [
  ...Object.keys(HTTP_PROBLEMS),
  ...DOMAIN_ERROR_CODES,
] as ProblemCode[];
