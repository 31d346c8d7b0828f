/**
 * Domain errors carry a stable machine `code` (clients localize from it; the HTTP layer
 * maps it to a status and a problem `type`). Messages are for logs and developers.
 */
export const DOMAIN_ERROR_CODES = [
  "not_found",
  "forbidden",
  "role_unknown",
  "member_not_found",
  "member_banned",
  "campaign_not_found",
  "campaign_inactive",
  "invalid_code",
  "unknown_code",
  "referrer_banned",
  "self_referral",
  "referral_loop",
  "already_attributed",
  "not_new_member",
  "code_taken",
  "wallet_taken",
  "address_screened",
  "screening_list_invalid",
  "nonce_invalid",
  "siwe_invalid",
  "signature_invalid",
  "review_not_found",
  "review_closed",
  "broadcast_not_found",
  "broadcast_invalid",
  "challenge_unknown",
  "checkin_unavailable",
  "survey_not_found",
  "survey_closed",
  "answer_invalid",
  "partner_unknown",
  "partner_event_conflict",
  "login_link_invalid",
  "login_link_used",
  "login_link_expired",
  "session_invalid",
  "rules_invalid",
  "rules_version_pending",
  "experiment_no_winner",
  "campaign_transition_refused",
  "campaign_exists",
  "job_running",
  "not_in_pilot",
  "terms_not_required",
  "terms_not_accepted",
  "terms_version_mismatch",
  "country_invalid",
  "country_required",
  "country_not_allowed",
  "language_not_allowed",
  "age_not_confirmed",
  "age_invalid",
  "member_excluded",
  "referrer_excluded",
  "member_deleted",
  "deletion_not_confirmed",
  "coupon_pool_invalid",
  "coupon_unknown",
  "coupon_used",
  "coupon_revoked",
  "coupon_expired",
  "webhook_invalid",
  "partner_key_invalid",
  "host_event_conflict",
  "perk_unknown",
  "perk_exists",
  "perk_invalid",
  "perk_expiry_past",
  "perk_requirement_unknown",
  "perk_stock_below_sold",
  "challenge_not_completed",
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
