import type { QualifyOutcome } from "../../domain/qualification.ts";

/** A qualification outcome as JSON (see `qualificationOutcomeSchema`). */
export function outcomeJson(o: QualifyOutcome) {
  switch (o.status) {
    case "no_referral":
      return { status: o.status, referralId: null };
    case "not_pending":
    case "not_matching":
      return { status: o.status, referralId: o.referralId };
    case "qualified":
      return { status: o.status, referralId: o.referralId, entryIds: o.entryIds };
    case "review":
      return { status: o.status, referralId: o.referralId, reasons: o.reasons };
    case "rejected":
      return { status: o.status, referralId: o.referralId, reason: o.reason };
    case "held":
      return { status: o.status, referralId: o.referralId, reasons: o.missing };
  }
}
