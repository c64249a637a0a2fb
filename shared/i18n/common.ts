// Words both the panel and the CLI say, declared once: the store's resolutions and what "≥" means.
import type { Resolution } from '../model';
import { defineMessages, type Lang } from './catalogue';

export const commonMessages = defineMessages(
  'common',
  {
    resolutionRaw: 'raw samples ({seconds} s)',
    resolutionMinute: '1-minute averages',
    resolutionHour: '1-hour averages',
    partialNote:
      "≥ a lower bound: the IO of some of the processes could not be read (another user's, or seen only once)",
  },
  {
    resolutionRaw: '原始采样（{seconds} 秒）',
    resolutionMinute: '1 分钟平均值',
    resolutionHour: '1 小时平均值',
    partialNote: '≥ 表示下限：部分进程的 IO 无法读取（属于其他用户，或只见到一次）',
  },
);

/** What the store's points are, in words ("1-minute averages"), from the tier, not the agent's label. */
export function resolutionText(lang: Lang, resolution: Resolution): string {
  const t = commonMessages(lang);
  if (resolution.tier === 'minute') return t('resolutionMinute');
  if (resolution.tier === 'hour') return t('resolutionHour');
  return t('resolutionRaw', { seconds: Math.round(resolution.stepMs / 100) / 10 });
}
