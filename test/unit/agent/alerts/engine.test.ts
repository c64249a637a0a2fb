import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AlertEngine, slopePerHour } from '../../../../agent/alerts/engine';
import { parseAlertsYaml } from '../../../../agent/alerts/rules';
import type { AlertTransition } from '../../../../agent/alerts/types';
import { MB, proc, rule, tick } from '../../../fixtures/alerts';

const T0 = new Date(2026, 0, 5, 12, 0, 0).getTime(); // a Monday, local noon
const S = 1000;

const kinds = (ts: AlertTransition[]) => ts.map((t) => `${t.kind}:${t.key}`);

/** Runs one tick per second with `cpuAt(i)` as the cpu of a single "node" process. */
function runCpu(engine: AlertEngine, values: number[], start = T0): AlertTransition[] {
  const out: AlertTransition[] = [];
  values.forEach((cpu, i) =>
    out.push(...engine.evaluate(tick(start + i * S, [proc(10, { name: 'node', cpu })]))),
  );
  return out;
}

describe('AlertEngine', () => {
  test('pending becomes firing only after `for`, and resolves below the hysteresis line', () => {
    const engine = new AlertEngine([
      rule({ name: 'cpu', metric: 'cpu', threshold: 80, resolveAt: 70, forMs: 5 * S }),
    ]);
    const fired = runCpu(engine, [90, 90, 90, 90, 90]);
    assert.deepEqual(fired, [], 'not yet: 4 s of 5');
    assert.equal(engine.active()[0]!.state, 'pending');
    const t = engine.evaluate(tick(T0 + 5 * S, [proc(10, { name: 'node', cpu: 91 })]));
    assert.deepEqual(kinds(t), ['firing:cpu|all']);
    assert.equal(t[0]!.value, 91);
    assert.equal(t[0]!.subject, 'node');
    assert.equal(t[0]!.process!.pid, 10);
    assert.deepEqual(t[0]!.channels, ['hook']);
    assert.deepEqual(runCpu(engine, [75, 72, 70], T0 + 6 * S), [], 'between the lines: still firing');
    const resolved = runCpu(engine, [69], T0 + 9 * S);
    assert.deepEqual(kinds(resolved), ['resolved:cpu|all']);
    assert.equal(resolved[0]!.firedAt, T0 + 5 * S);
    assert.deepEqual(engine.active(), []);
  });

  test('a pending alert that dips below the threshold starts over', () => {
    const engine = new AlertEngine([rule({ name: 'cpu', metric: 'cpu', forMs: 3 * S })]);
    assert.deepEqual(runCpu(engine, [90, 90, 50, 90, 90, 90]), []);
    assert.deepEqual(kinds(runCpu(engine, [90], T0 + 6 * S)), ['firing:cpu|all']);
  });

  test('a value hovering at the threshold gives at most one fire/resolve pair', () => {
    const hover = Array.from({ length: 300 }, (_, i) => (i % 2 ? 80.5 : 79.5));
    const withHysteresis = new AlertEngine([
      rule({ name: 'h', metric: 'cpu', threshold: 80, resolveAt: 70 }),
    ]);
    const out = runCpu(withHysteresis, [...hover, 50, ...hover]);
    assert.deepEqual(
      out.map((t) => t.kind),
      ['firing', 'resolved', 'firing'],
    );
    const withFor = new AlertEngine([rule({ name: 'h', metric: 'cpu', threshold: 80, forMs: 3 * S })]);
    assert.deepEqual(runCpu(withFor, hover), []);
  });

  test('repeat reminders while firing, then one resolve', () => {
    const engine = new AlertEngine([rule({ name: 'r', metric: 'cpu', repeatMs: 60 * S })]);
    const out: AlertTransition[] = [];
    for (let i = 0; i <= 180; i += 10) out.push(...engine.evaluate(tick(T0 + i * S, [proc(1, { cpu: 95 })])));
    out.push(...engine.evaluate(tick(T0 + 190 * S, [proc(1, { cpu: 5 })])));
    assert.deepEqual(
      out.map((t) => `${t.kind}@${(t.ts - T0) / S}`),
      ['firing@0', 'repeat@60', 'repeat@120', 'repeat@180', 'resolved@190'],
    );
  });

  test('escalation adds channels after `after`, and the resolve reaches them too', () => {
    const engine = new AlertEngine([
      rule({ name: 'e', metric: 'cpu', escalate: { afterMs: 600 * S, channels: ['oncall'] } }),
    ]);
    const out: AlertTransition[] = [];
    for (let i = 0; i <= 700; i += 100)
      out.push(...engine.evaluate(tick(T0 + i * S, [proc(1, { cpu: 95 })])));
    out.push(...engine.evaluate(tick(T0 + 800 * S, [proc(1, { cpu: 5 })])));
    assert.deepEqual(
      out.map((t) => [t.kind, (t.ts - T0) / S, t.channels.join('+')]),
      [
        ['firing', 0, 'hook'],
        ['escalated', 600, 'hook+oncall'],
        ['resolved', 800, 'hook+oncall'],
      ],
    );
  });

  test('aggregates: max, avg and sum over the matching processes only', () => {
    const ps = [
      proc(1, { name: 'node', cpu: 50 }),
      proc(2, { name: 'node', cpu: 40 }),
      proc(3, { name: 'java', cpu: 99 }),
    ];
    const engine = new AlertEngine([
      rule({ name: 'max', metric: 'cpu', match: { name: '^node$' }, aggregate: 'max', threshold: 45 }),
      rule({ name: 'avg', metric: 'cpu', match: { name: '^node$' }, aggregate: 'avg', threshold: 45 }),
      rule({ name: 'sum', metric: 'cpu', match: { name: '^node$' }, aggregate: 'sum', threshold: 85 }),
    ]);
    const out = engine.evaluate(tick(T0, ps));
    assert.deepEqual(
      out.map((t) => [t.rule, t.value]),
      [
        ['max', 50],
        ['sum', 90],
      ],
    );
    assert.equal(out[1]!.subject, '2 × node');
  });

  test('group_by process: one alert per process, resolved when that process exits', () => {
    const engine = new AlertEngine([
      rule({ name: 'mem', metric: 'memory', groupBy: 'process', threshold: 500 }),
    ]);
    const big = proc(7, { name: 'chrome', rss: 900 * MB });
    const out1 = engine.evaluate(tick(T0, [big, proc(8, { rss: 10 * MB })]));
    assert.deepEqual(kinds(out1), [`firing:mem|pid:7@${big.startTime}`]);
    assert.equal(out1[0]!.unit, 'MiB');
    assert.equal(out1[0]!.value, 900);
    const out2 = engine.evaluate(
      tick(T0 + S, [proc(8, { rss: 10 * MB })], {}, [{ pid: 7, startTime: big.startTime }]),
    );
    assert.deepEqual(kinds(out2), [`resolved:mem|pid:7@${big.startTime}`]);
  });

  test('unknown figures hold the state instead of resolving or firing', () => {
    const engine = new AlertEngine([rule({ name: 'io', metric: 'io_write', threshold: 10 })]);
    assert.equal(engine.evaluate(tick(T0, [proc(1, { writeBps: 50 * MB })])).length, 1);
    assert.deepEqual(engine.evaluate(tick(T0 + S, [proc(1, { writeBps: null })])), []);
    assert.equal(engine.active().length, 1);
    assert.deepEqual(
      kinds(engine.evaluate(tick(T0 + 2 * S, []))),
      ['resolved:io|all'],
      'gone processes resolve',
    );
  });

  test('process_count counts matches (zero included)', () => {
    const engine = new AlertEngine([
      rule({ name: 'many', metric: 'process_count', match: { name: 'worker' }, threshold: 3 }),
      rule({ name: 'few', metric: 'process_count', match: { name: 'worker' }, operator: '<', threshold: 1 }),
    ]);
    const workers = [1, 2, 3, 4, 5].map((pid) => proc(pid, { name: 'worker' }));
    assert.deepEqual(
      engine.evaluate(tick(T0, workers)).map((t) => [t.rule, t.value]),
      [['many', 5]],
    );
    assert.deepEqual(
      engine.evaluate(tick(T0 + S, [])).map((t) => [t.kind, t.rule, t.value]),
      [
        ['resolved', 'many', 0],
        ['firing', 'few', 0],
      ],
    );
  });

  test('absent: fires when no matching process runs for `for`, resolves when one is back', () => {
    const engine = new AlertEngine([
      rule({
        name: 'nginx-down',
        metric: 'absent',
        match: { name: '^nginx$' },
        forMs: 2 * S,
        action: { restart: ['true'], maxPerHour: 3, detach: false },
      }),
    ]);
    const nginx = proc(80, { name: 'nginx' });
    assert.deepEqual(engine.evaluate(tick(T0, [nginx])), []);
    assert.deepEqual(engine.evaluate(tick(T0 + S, [])), []);
    assert.deepEqual(engine.evaluate(tick(T0 + 2 * S, [])), []);
    const fired = engine.evaluate(tick(T0 + 3 * S, []));
    assert.deepEqual(kinds(fired), ['firing:nginx-down|all']);
    assert.equal(fired[0]!.subject, '^nginx$');
    assert.deepEqual(fired[0]!.action!.restart, ['true']);
    assert.deepEqual(kinds(engine.evaluate(tick(T0 + 4 * S, [proc(81, { name: 'nginx' })]))), [
      'resolved:nginx-down|all',
    ]);
  });

  test('absent by process: 100 deaths at once are 100 transitions, cleared when the name runs again', () => {
    const engine = new AlertEngine([
      rule({ name: 'died', metric: 'absent', groupBy: 'process', match: { name: '^worker$' } }),
    ]);
    const workers = Array.from({ length: 100 }, (_, i) => proc(1000 + i, { name: 'worker' }));
    assert.deepEqual(engine.evaluate(tick(T0, [...workers, proc(5)])), []);
    const deaths = engine.evaluate(
      tick(
        T0 + S,
        [proc(5)],
        {},
        workers.map(({ pid, startTime }) => ({ pid, startTime })),
      ),
    );
    assert.equal(deaths.length, 100);
    assert.ok(deaths.every((t) => t.kind === 'firing' && t.process?.name === 'worker'));
    assert.equal(new Set(deaths.map((t) => t.key)).size, 100, 'one dedup key per process');
    assert.deepEqual(engine.evaluate(tick(T0 + 2 * S, [proc(5)])), [], 'no repeats without repeat:');
    const back = engine.evaluate(tick(T0 + 3 * S, [proc(5), proc(2000, { name: 'worker' })]));
    assert.equal(back.filter((t) => t.kind === 'resolved').length, 100);
  });

  test('memory_growth: least-squares MB/hour over the window', () => {
    assert.equal(
      Math.round(
        slopePerHour([
          [0, 100],
          [1_800_000, 150],
          [3_600_000, 200],
        ]),
      ),
      100,
    );
    const engine = new AlertEngine([
      rule({
        name: 'leak',
        metric: 'memory_growth',
        match: { name: 'leaky' },
        threshold: 100,
        windowMs: 10 * 60 * S,
      }),
    ]);
    const out: AlertTransition[] = [];
    let firstFireAt: number | undefined;
    for (let s = 0; s <= 900; s += 5) {
      // 10 MB a minute = 600 MB/h, with some noise.
      const rss = (200 + (s / 60) * 10 + (s % 2 ? 3 : -3)) * MB;
      const t = engine.evaluate(
        tick(T0 + s * S, [proc(42, { name: 'leaky', rss }), proc(43, { rss: 50 * MB })]),
      );
      if (t.length && firstFireAt === undefined) firstFireAt = s;
      out.push(...t);
    }
    assert.deepEqual(
      out.map((t) => t.kind),
      ['firing'],
    );
    assert.equal(firstFireAt, 300, 'needs half the window before judging');
    assert.ok(Math.abs(out[0]!.value! - 600) < 20, `slope ${out[0]!.value}`);
    assert.equal(out[0]!.unit, 'MiB/h');
    // Flat memory: no alert for a steady process.
    const flat = new AlertEngine([
      rule({ name: 'leak', metric: 'memory_growth', threshold: 100, windowMs: 60 * S }),
    ]);
    for (let s = 0; s <= 300; s += 5)
      assert.deepEqual(flat.evaluate(tick(T0 + s * S, [proc(1, { rss: 500 * MB })])), []);
  });

  test('machine metrics: system cpu and memory percent', () => {
    const engine = new AlertEngine([
      rule({ name: 'box-cpu', metric: 'system_cpu', threshold: 90 }),
      rule({ name: 'box-mem', metric: 'system_memory', threshold: 90 }),
    ]);
    const out = engine.evaluate(tick(T0, [], { cpu: 97, memUsed: 15 * 1024 * MB, memTotal: 16 * 1024 * MB }));
    assert.deepEqual(
      out.map((t) => [t.key, t.value, t.subject]),
      [
        ['box-cpu|machine', 97, 'machine'],
        ['box-mem|machine', 93.75, 'machine'],
      ],
    );
    assert.deepEqual(
      engine.evaluate(tick(T0 + S, [], { cpu: null, memUsed: 15 * 1024 * MB })),
      [],
      'unknown cpu holds',
    );
    assert.equal(engine.active().length, 2);
    assert.deepEqual(kinds(engine.evaluate(tick(T0 + 2 * S, [], { cpu: 20, memUsed: 15 * 1024 * MB }))), [
      'resolved:box-cpu|machine',
    ]);
  });

  test('a silence holds notifications back; the alert is announced when it ends, resolve only if announced', () => {
    const engine = new AlertEngine([rule({ name: 'cpu', metric: 'cpu' })], {
      silences: [{ rule: 'cpu', until: T0 + 10 * S }],
    });
    const held = runCpu(engine, [95, 95, 95]);
    assert.deepEqual(
      held.map((t) => [t.kind, t.suppressed, t.channels.length]),
      [['firing', 'silence', 0]],
    );
    const later = runCpu(engine, [95], T0 + 10 * S);
    assert.deepEqual(
      later.map((t) => [t.kind, t.suppressed, t.channels]),
      [['firing', undefined, ['hook']]],
    );
    assert.deepEqual(
      runCpu(engine, [5], T0 + 11 * S).map((t) => [t.kind, t.channels]),
      [['resolved', ['hook']]],
    );

    const quiet = new AlertEngine([rule({ name: 'cpu', metric: 'cpu' })]);
    quiet.addSilence({ process: '^node$', until: T0 + 3_600_000 });
    const both = runCpu(quiet, [95, 5]);
    assert.deepEqual(
      both.map((t) => [t.kind, t.suppressed, t.channels.length]),
      [
        ['firing', 'silence', 0],
        ['resolved', 'silence', 0],
      ],
    );
  });

  test('a maintenance window suppresses notifications for its rules only', () => {
    const engine = new AlertEngine([rule({ name: 'a', metric: 'cpu' }), rule({ name: 'b', metric: 'cpu' })], {
      maintenance: [{ name: 'noon', cron: '0 12 * * *', durationMs: 30 * 60 * S, rules: ['a'] }],
    });
    const out = engine.evaluate(tick(T0 + 60 * S, [proc(1, { cpu: 99 })]));
    assert.deepEqual(
      out.map((t) => [t.rule, t.suppressed ?? 'sent']),
      [
        ['a', 'maintenance'],
        ['b', 'sent'],
      ],
    );
    const afterWindow = engine.evaluate(tick(T0 + 31 * 60 * S, [proc(1, { cpu: 99 })]));
    assert.deepEqual(
      afterWindow.map((t) => [t.rule, t.kind, t.suppressed ?? 'sent']),
      [['a', 'firing', 'sent']],
    );
  });

  test('state survives a restart: no second fire, and the resolve still comes', () => {
    const rules = [
      rule({ name: 'cpu', metric: 'cpu', forMs: 5 * S }),
      rule({ name: 'leak', metric: 'memory_growth', threshold: 1e9, windowMs: 60 * S }),
    ];
    const first = new AlertEngine(rules);
    runCpu(first, [95, 95, 95, 95, 95, 95]);
    first.addSilence({ rule: 'other', until: T0 + 3_600_000 });
    const saved = JSON.parse(JSON.stringify(first.state()));
    assert.equal(saved.alerts[0].state, 'firing');
    assert.ok(saved.growth['leak|all'].length > 0);

    const second = new AlertEngine(rules);
    second.restore(saved);
    assert.deepEqual(runCpu(second, [95, 95], T0 + 6 * S), []);
    assert.deepEqual(second.state().silences.length, 1);
    const resolved = runCpu(second, [10], T0 + 8 * S);
    assert.deepEqual(
      resolved.map((t) => [t.kind, t.firedAt]),
      [['resolved', T0 + 5 * S]],
    );

    const pending = new AlertEngine(rules);
    runCpu(pending, [95, 95]);
    const third = new AlertEngine(rules);
    third.restore(pending.state());
    assert.deepEqual(
      kinds(runCpu(third, [95, 95, 95, 95], T0 + 2 * S)),
      ['firing:cpu|all'],
      'pending kept its start',
    );

    const renamed = new AlertEngine([rule({ name: 'other', metric: 'cpu' })]);
    renamed.restore(saved);
    assert.deepEqual(renamed.active(), [], 'state of removed rules is dropped');
  });
});

describe('flapping by default', () => {
  const FILE = (extra: string) => `rules:
  - name: node-cpu
    metric: cpu
    match: { name: "^node$" }
    threshold: 50
    channels: [hook]
${extra}channels:
  hook: { type: webhook, url: "http://127.0.0.1:9/hook" }
`;
  const parsed = (extra = '') => {
    const { config, problems } = parseAlertsYaml(FILE(extra), 'alerts.yaml', { allowActions: true });
    assert.deepEqual(problems, []);
    return config.rules;
  };
  /** A small seeded generator (mulberry32): the same "random" CPU on every run. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  /** Ten minutes of a node process at 50 ± 10 % CPU; the notifications that would be sent. */
  const tenMinutes = (engine: AlertEngine, intervalMs: number, seed: number) => {
    const next = random(seed);
    const sent: AlertTransition[] = [];
    for (let ts = T0; ts < T0 + 600 * S; ts += intervalMs) {
      const cpu = 50 + (next() * 20 - 10);
      for (const t of engine.evaluate(tick(ts, [proc(10, { name: 'node', cpu })])))
        if (t.channels.length && !t.suppressed) sent.push(t);
    }
    return sent;
  };

  test('50 ± 10 % CPU against `threshold: 50` (no for, no resolve_below): at most 2 notifications in 10 minutes', () => {
    for (const intervalMs of [2 * S, S, 500]) {
      for (const seed of [1, 2, 3]) {
        const sent = tenMinutes(new AlertEngine(parsed()), intervalMs, seed);
        assert.ok(sent.length <= 2, `${sent.length} notifications at ${intervalMs} ms (seed ${seed})`);
      }
    }
  });

  test('the default hold: a rule without a resolve line clears once its value stays back for 1m', () => {
    const [r] = parsed();
    assert.equal(r!.keepFiringForMs, 60 * S);
    const engine = new AlertEngine([r!]);
    const at = (i: number, cpu: number) =>
      engine.evaluate(tick(T0 + i * S, [proc(10, { name: 'node', cpu })])).map((t) => t.kind);
    assert.deepEqual(at(0, 90), ['firing']);
    assert.deepEqual(at(10, 20), [], 'back under the line: the hold starts');
    assert.deepEqual(at(40, 90), [], 'over again within the hold: still the same firing alert');
    assert.deepEqual(at(50, 20), []);
    assert.deepEqual(at(100, 20), [], '50 s back: still held');
    assert.deepEqual(at(110, 20), ['resolved'], '60 s back: resolved');
    // A process that exits needs no hold: there is nothing left to come back.
    assert.deepEqual(at(120, 90), ['firing']);
    assert.deepEqual(
      engine.evaluate(tick(T0 + 122 * S, [])).map((t) => t.kind),
      ['resolved'],
    );
  });

  test('keep_firing_for: 0, or a resolve line, resolves at once as before', () => {
    for (const extra of ['    keep_firing_for: 0\n', '    resolve_below: 45\n']) {
      const [r] = parsed(extra);
      assert.equal(r!.keepFiringForMs ?? 0, 0, extra);
      const engine = new AlertEngine([r!]);
      engine.evaluate(tick(T0, [proc(10, { name: 'node', cpu: 90 })]));
      assert.deepEqual(
        engine.evaluate(tick(T0 + 2 * S, [proc(10, { name: 'node', cpu: 20 })])).map((t) => t.kind),
        ['resolved'],
        extra,
      );
    }
  });
});
