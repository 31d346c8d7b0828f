/**
 * The server's init data check (the library's signature check, then the dates against the
 * server's clock instead of the wall clock) accepts exactly what @tma.js/init-data-node's
 * `isValid` with its own expiry check does, on random users, ages, fields and tampering.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isValid, sign } from "@tma.js/init-data-node";
import fc from "fast-check";
import { createInitDataVerifier } from "../../../server/http/auth.ts";
import { OTHER_BOT_TOKEN, TEST_BOT_TOKEN } from "../../support/telegram.ts";

const userArb = fc.record({
  id: fc.integer({ min: 1, max: 2 ** 52 }),
  first_name: fc.string({ minLength: 1, maxLength: 30 }),
  last_name: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
  username: fc.option(fc.stringMatching(/^[a-z][a-z0-9_]{4,20}$/), { nil: undefined }),
  language_code: fc.option(fc.constantFrom("en", "ru", "uk", "de"), { nil: undefined }),
  is_premium: fc.option(fc.boolean(), { nil: undefined }),
});

/** The reference implementation reads the global clock; it gets the test's instant. */
function at<T>(now: Date, f: () => T): T {
  const realNow = Date.now;
  Date.now = () => now.getTime();
  try {
    return f();
  } finally {
    Date.now = realNow;
  }
}

test("accepts exactly what the reference implementation accepts", () => {
  const verify = createInitDataVerifier(TEST_BOT_TOKEN);
  fc.assert(
    fc.property(
      userArb,
      fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), { nil: undefined }),
      fc.integer({ min: 0, max: 7200 }),
      fc.boolean(),
      fc.option(
        fc.tuple(
          fc.constantFrom("user", "auth_date", "start_param", "query_id", "chat_instance"),
          fc.string({ maxLength: 12 }),
        ),
        {
          nil: undefined,
        },
      ),
      (user, startParam, ageSeconds, foreignBot, tamper) => {
        // One fixed instant for both checks, on a whole second: with the wall clock, the
        // reference looked later than ours did, and auth_date's truncation to seconds made an
        // age of exactly the maximum "expired" by a few milliseconds.
        const now = new Date("2025-06-01T12:00:00Z");
        const authDate = new Date(now.getTime() - ageSeconds * 1000);
        let raw = sign(
          {
            user,
            query_id: "AAH-q",
            chat_instance: "-100",
            chat_type: "sender",
            ...(startParam ? { start_param: startParam } : {}),
          },
          foreignBot ? OTHER_BOT_TOKEN : TEST_BOT_TOKEN,
          authDate,
        );
        if (tamper) {
          const p = new URLSearchParams(raw);
          p.set(tamper[0], tamper[1]);
          raw = p.toString();
        }
        const reference = at(now, () => isValid(raw, TEST_BOT_TOKEN, { expiresIn: 3600 }));
        const ours = verify(raw, 3600, now);
        assert.equal(
          typeof ours === "object",
          reference,
          `ours=${typeof ours === "object" ? "ok" : ours} reference=${reference}`,
        );
        if (!tamper && !foreignBot) assert.equal(ours === "expired", ageSeconds > 3600);
      },
    ),
    { numRuns: 300 },
  );
});
