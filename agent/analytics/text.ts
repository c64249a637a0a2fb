// One-line summaries of findings, in English and Simplified Chinese. Names and command lines are
// data: they go into the text as they are (clients render text, never markup; the CLI escapes
// control characters when it prints).
import { formatBytes, formatDuration, formatRate } from '../../shared/duration';
import type { Finding, FindingSubject } from '../../shared/model';

export type Summary = Finding['summary'];

/** The exit codes the agent could give are never guessed: it does not observe them here. */
export const EXIT_NOT_OBSERVED = { en: 'exit not observed', zh: '未观测到退出码' } as const;

function who(s: FindingSubject): { en: string; zh: string } {
  if (s.name === null) return { en: 'the machine', zh: '整机' };
  const pid = s.identities.length === 1 ? s.identities[0]!.pid : null;
  // The container by its name where one was read, else by its id.
  const container = s.container ? ` [${s.containerName ?? s.container}]` : '';
  return pid === null
    ? { en: `${s.name}${container}`, zh: `${s.name}${container}` }
    : { en: `${s.name} (pid ${pid})${container}`, zh: `${s.name}（pid ${pid}）${container}` };
}

const pct = (v: number) => `${v >= 10 ? Math.round(v) : v.toFixed(1)}%`;
const r2 = (v: number) => v.toFixed(2);

export function leakSummary(
  s: FindingSubject,
  e: { rateBps: number; r2: number; windowS: number; rss: number; fullInS: number | null },
): Summary {
  const w = who(s);
  const window = formatDuration(e.windowS * 1000);
  const full = e.fullInS === null ? null : formatDuration(e.fullInS * 1000);
  return {
    en:
      `${w.en} memory grows ${formatRate(e.rateBps)} (Theil–Sen, R² ${r2(e.r2)}) over ${window}, now ${formatBytes(e.rss)}` +
      (full ? `; machine memory full in ${full} at this rate` : ''),
    zh:
      `${w.zh} 内存持续增长 ${formatRate(e.rateBps)}（Theil–Sen，R² ${r2(e.r2)}，窗口 ${window}），当前 ${formatBytes(e.rss)}` +
      (full ? `；按此速度 ${full} 后耗尽机器内存` : ''),
  };
}

export function restartSummary(
  s: FindingSubject,
  e: { restarts: number; perMinute: number; minS: number; medianS: number; p90S: number },
): Summary {
  const w = who({ ...s, identities: [] });
  const life = (x: number) => formatDuration(x * 1000);
  const span = `${life(e.minS)} / ${life(e.medianS)} / ${life(e.p90S)}`;
  return {
    en: `${w.en} restarted ${e.restarts} times in a minute (${e.perMinute.toFixed(1)} starts/min); lifetimes min/median/p90 ${span}; ${EXIT_NOT_OBSERVED.en}`,
    zh: `${w.zh} 一分钟内重启 ${e.restarts} 次（每分钟启动 ${e.perMinute.toFixed(1)} 次）；存活时长 最短/中位/P90 ${span}；${EXIT_NOT_OBSERVED.zh}`,
  };
}

export function anomalySummary(
  s: FindingSubject,
  e: { metric: 'cpu' | 'rss'; value: number; baseline: number; spread: number; sustainedS: number },
): Summary {
  const w = who(s);
  const fmt = e.metric === 'cpu' ? pct : formatBytes;
  const what = e.metric === 'cpu' ? { en: 'CPU', zh: 'CPU' } : { en: 'memory', zh: '内存' };
  const held = formatDuration(e.sustainedS * 1000);
  return {
    en: `${w.en} ${what.en} ${fmt(e.value)} against its baseline ${fmt(e.baseline)} (± ${fmt(e.spread)}) for ${held}`,
    zh: `${w.zh} ${what.zh} ${fmt(e.value)}，远离其基线 ${fmt(e.baseline)}（± ${fmt(e.spread)}），持续 ${held}`,
  };
}

export function trendSummary(
  s: FindingSubject,
  e: { metric: 'cpu' | 'memory'; now: number; projected: number; days: number; r2: number; perDay: number },
): Summary {
  const w = who(s);
  const fmt = e.metric === 'cpu' ? pct : formatBytes;
  const sign = e.perDay >= 0 ? '+' : '−';
  const perDay = `${sign}${fmt(Math.abs(e.perDay))}`;
  const what = e.metric === 'cpu' ? { en: 'CPU', zh: 'CPU' } : { en: 'memory', zh: '内存' };
  return {
    en: `${w.en} ${what.en} ${fmt(e.now)} → ${fmt(e.projected)} in ${e.days} days (${perDay}/day, linear fit R² ${r2(e.r2)})`,
    zh: `${w.zh} ${what.zh} 预计 ${e.days} 天后由 ${fmt(e.now)} 变为 ${fmt(e.projected)}（每天 ${perDay}，线性回归 R² ${r2(e.r2)}）`,
  };
}

export function efficiencySummary(
  s: FindingSubject,
  e: { cpuPerWall: number; memAvg: number | null; memCv: number | null },
): Summary {
  const w = who(s);
  const cv = e.memCv === null ? null : e.memCv.toFixed(2);
  return {
    en: `${w.en} uses ${pct(e.cpuPerWall)} of a core while alive, memory ${formatBytes(e.memAvg)}${cv === null ? '' : ` (CV ${cv})`}`,
    zh: `${w.zh} 运行期间占用单核 ${pct(e.cpuPerWall)}，内存 ${formatBytes(e.memAvg)}${cv === null ? '' : `（变异系数 ${cv}）`}`,
  };
}

export function wasteSummary(
  s: FindingSubject,
  e: { memAvg: number; cpuPerWall: number; idleS: number },
): Summary {
  const w = who(s);
  const days = formatDuration(e.idleS * 1000);
  return {
    en: `${w.en} holds ${formatBytes(e.memAvg)} while nearly idle (${pct(e.cpuPerWall)} of a core) for ${days}`,
    zh: `${w.zh} 几乎空闲（单核 ${pct(e.cpuPerWall)}）却占用 ${formatBytes(e.memAvg)}，已持续 ${days}`,
  };
}
