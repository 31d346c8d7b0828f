/** Quiet hours and time zones of `/notifications` (pure). */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  localMinutes,
  parseClock,
  parseTimeZone,
  quietUntil,
} from "../../../server/domain/notificationSettings.ts";

test("time zones: IANA names and UTC offsets, normalized; anything else refused", () => {
  assert.equal(parseTimeZone("Europe/Moscow"), "Europe/Moscow");
  assert.equal(parseTimeZone("america/new_york"), "America/New_York");
  assert.equal(parseTimeZone("+3"), "+03:00");
  assert.equal(parseTimeZone("UTC-5:30"), "-05:30");
  assert.equal(parseTimeZone("gmt+0"), "UTC");
  assert.equal(parseTimeZone("utc"), "UTC");
  for (const bad of ["Mars/Olympus", "+15", "+03:75", "moscow", "", "'; drop table x"])
    assert.equal(parseTimeZone(bad), undefined, bad);
  assert.equal(parseClock("7"), 420);
  assert.equal(parseClock("23:59"), 1439);
  assert.equal(parseClock("24:00"), undefined);
});

test("quiet hours: a window across midnight ends at its local end; daylight saving is followed", () => {
  const s = { ...DEFAULT_NOTIFICATION_SETTINGS, quietFrom: 22 * 60, quietTo: 6 * 60 };
  // UTC: 23:10 is inside, the end is 06:00 the next morning.
  assert.equal(
    quietUntil(s, new Date("2027-01-10T23:10:30Z"))?.toISOString(),
    "2027-01-11T06:00:00.000Z",
  );
  assert.equal(quietUntil(s, new Date("2027-01-10T12:00:00Z")), null);
  assert.equal(quietUntil(s, new Date("2027-01-11T06:00:00Z")), null);
  // New York: UTC-5 in January, UTC-4 in July; the same local window moves in UTC.
  const ny = { ...s, timeZone: "America/New_York" };
  assert.equal(localMinutes(new Date("2027-01-11T03:00:00Z"), "America/New_York"), 22 * 60);
  assert.equal(
    quietUntil(ny, new Date("2027-01-11T04:00:00Z"))?.toISOString(),
    "2027-01-11T11:00:00.000Z",
  );
  assert.equal(
    quietUntil(ny, new Date("2027-07-11T04:00:00Z"))?.toISOString(),
    "2027-07-11T10:00:00.000Z",
  );
  // A fixed offset.
  assert.equal(
    quietUntil({ ...s, timeZone: "+03:00" }, new Date("2027-06-10T20:30:00Z"))?.toISOString(),
    "2027-06-11T03:00:00.000Z",
  );
});
