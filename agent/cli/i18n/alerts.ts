// `process-tracker alerts validate | test | history` (agent/cli/alerts.ts). The problems a rule
// file has are shared/i18n/alertRules.ts, the alert messages shared/i18n/alertText.ts.
import { defineMessages } from '../../../shared/i18n/catalogue';

export const alertsMessages = defineMessages(
  'alerts',
  {
    noFile: 'no alert rule file at {file}: check the path',
    noDefaultFile: 'no alert rule file at {file}: create it (see "Alerts" in the README) or pass FILE',
    warning: '{problem} (warning)',
    usable:
      '{file}: {rules} rule(s) and {channels} channel(s) usable; {errors} error(s), {warnings} warning(s)',
    throughAgent: 'through the running agent (pid {pid})',
    fromAgent: 'from the running agent (pid {pid})',
    fromFile: 'from {file} (no agent is running)',
    testHeader: 'test notification for rule {rule}, {how}:',
    noChannels: '  the rule has no channels: only VS Code toasts would show it',
    noEvents: 'no alert events yet, {how}',
    events: '{shown} of {total} events, newest first, {how}',
    eventsCut: '{shown} of {total} events, newest first, {how}; -n {total} shows all',
    heldBack: ' (held back: {reason})',
    delivered: 'delivered{status} in {ms} ms',
    failed: 'failed{status}: {error}',
  },
  {
    noFile: '{file} 处没有告警规则文件：请检查路径',
    noDefaultFile: '{file} 处没有告警规则文件：创建它（见 README 的 "Alerts"）或传入 文件',
    warning: '{problem}（警告）',
    usable: '{file}：可用规则 {rules} 条、通道 {channels} 个；错误 {errors} 个，警告 {warnings} 个',
    throughAgent: '通过正在运行的代理（pid {pid}）',
    fromAgent: '来自正在运行的代理（pid {pid}）',
    fromFile: '来自 {file}（没有代理在运行）',
    testHeader: '规则 {rule} 的测试通知，{how}：',
    noChannels: '  该规则没有通道：只有 VS Code 的通知会显示它',
    noEvents: '还没有告警事件，{how}',
    events: '{total} 个事件中的 {shown} 个，最新的在前，{how}',
    eventsCut: '{total} 个事件中的 {shown} 个，最新的在前，{how}；-n {total} 显示全部',
    heldBack: '（已暂缓：{reason}）',
    delivered: '已送达{status}，用时 {ms} ms',
    failed: '失败{status}：{error}',
  },
);
