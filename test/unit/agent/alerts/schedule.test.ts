import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compileWindow,
  cronMatches,
  MaintenanceCalendar,
  parseCron,
} from '../../../../agent/alerts/schedule';

const at = (d: number, h: number, m: number) => new Date(2026, 0, d, h, m).getTime(); // Jan 2026: the 5th is a Monday

describe('maintenance schedules', () => {
  test('cron fields: lists, ranges, steps, names, and the day-of-month / weekday OR rule', () => {
    const c = parseCron('*/15 9-17 * * mon-fri');
    assert.equal(cronMatches(c, at(5, 9, 30)), true);
    assert.equal(cronMatches(c, at(5, 9, 31)), false);
    assert.equal(cronMatches(c, at(4, 9, 30)), false, 'Sunday');
    const or = parseCron('0 0 1 * sun');
    assert.equal(cronMatches(or, at(1, 0, 0)), true, 'the 1st (a Thursday)');
    assert.equal(cronMatches(or, at(4, 0, 0)), true, 'a Sunday');
    assert.equal(cronMatches(or, at(5, 0, 0)), false);
    assert.equal(cronMatches(parseCron('0 0 * * 7'), at(4, 0, 0)), true, '7 is Sunday too');
    assert.throws(() => parseCron('0 0 * *'), /has 4 fields/);
    assert.throws(() => parseCron('0 25 * * *'), /hour "25" is outside 0–23/);
    assert.throws(() => parseCron('*/0 * * * *'), /step "0"/);
  });

  test('a cron window lasts its duration, across midnight', () => {
    const open = compileWindow({ name: 'w', cron: '30 23 * * *', durationMs: 60 * 60_000 });
    assert.equal(open(at(5, 23, 29)), false);
    assert.equal(open(at(5, 23, 30)), true);
    assert.equal(open(at(6, 0, 29)), true);
    assert.equal(open(at(6, 0, 30)), false);
  });

  test('weekly windows, including one that wraps past midnight', () => {
    const weekend = compileWindow({ name: 'w', days: [5], from: '22:00', to: '06:00' }); // Friday night
    assert.equal(weekend(at(9, 22, 0)), true, 'Friday 22:00');
    assert.equal(weekend(at(10, 5, 59)), true, 'Saturday early morning belongs to Friday night');
    assert.equal(weekend(at(10, 6, 0)), false);
    assert.equal(weekend(at(8, 23, 0)), false, 'Thursday');
    const lunch = compileWindow({ name: 'w', from: '12:00', to: '13:00' });
    assert.equal(lunch(at(7, 12, 30)), true);
    assert.equal(lunch(at(7, 13, 0)), false);
  });

  test('the calendar applies windows to their rules only', () => {
    const cal = new MaintenanceCalendar([
      { name: 'w', cron: '0 3 * * *', durationMs: 3_600_000, rules: ['backup-io'] },
    ]);
    assert.equal(cal.inMaintenance('backup-io', at(5, 3, 10)), true);
    assert.equal(cal.inMaintenance('other', at(5, 3, 10)), false);
    assert.equal(cal.inMaintenance('backup-io', at(5, 4, 10)), false);
  });
});
