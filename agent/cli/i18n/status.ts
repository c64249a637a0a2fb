// `process-tracker status` (agent/cli/format.ts statusText) and `run`'s own lines.
import { defineCatalogue } from '.';

export const statusStrings = defineCatalogue(
  'status',
  {
    agent: (pid: number, version: string, protocol: number) =>
      `agent ${pid}, version ${version} (protocol ${protocol})`,
    up: (uptime: string, interval: string, clients: number) =>
      `up ${uptime}, sampling every ${interval}, ${clients} other client(s) connected`,
    dataDir: (dir: string) => `data dir ${dir}`,
    socket: (socket: string) => `socket ${socket}`,
    processes: (count: string, last: string) => `processes ${count}, last sample ${last}`,
    noneYet: 'none yet',
    ticks: (ticks: number, collector: string, skipped: number, failed: number, last: string, worst: string) =>
      `${ticks} ticks by the ${collector} collector (${skipped} skipped, ${failed} failed); tick lateness last ${last} ms, worst ${worst} ms`,
    lastFlush: (when: string) => `last flush ${when}`,
    notYet: 'not yet',
    files: 'files',
    notWriting: (problem: string) => `NOT WRITING TO DISK (history kept in memory): ${problem}`,
    setAside: (file: string, movedTo: string, reason: string) =>
      `set aside ${file} -> ${movedTo} (${reason})`,
    storeNotOpen: 'store: not open',
    httpPanel: (url: string, file: string) => `history panel ${url} (token in ${file})`,
    lastError: (error: string) => `last error ${error}`,
    none: 'none',
    notRecording: (dir: string) => `no agent is recording ${dir}: start one with "process-tracker run"`,
    openPanel: (url: string) => `history panel: ${url}`,
    alreadyRecording: (dir: string, pid: number, version: string, socket: string) =>
      `an agent already records ${dir}: pid ${pid}, version ${version}, socket ${socket}`,
  },
  {
    agent: (pid, version, protocol) => `代理 ${pid}，版本 ${version}（协议 ${protocol}）`,
    up: (uptime, interval, clients) =>
      `已运行 ${uptime}，每 ${interval} 采样一次，另有 ${clients} 个客户端连接`,
    dataDir: (dir) => `数据目录 ${dir}`,
    socket: (socket) => `套接字 ${socket}`,
    processes: (count, last) => `进程 ${count}，最近一次采样 ${last}`,
    noneYet: '尚无',
    ticks: (ticks, collector, skipped, failed, last, worst) =>
      `${collector} 采集器已采样 ${ticks} 次（跳过 ${skipped}，失败 ${failed}）；采样延迟 最近 ${last} ms，最差 ${worst} ms`,
    lastFlush: (when) => `最近一次写盘 ${when}`,
    notYet: '尚未',
    files: '个文件',
    notWriting: (problem) => `未写入磁盘（历史暂存于内存）：${problem}`,
    setAside: (file, movedTo, reason) => `已移开 ${file} -> ${movedTo}（${reason}）`,
    storeNotOpen: '存储：未打开',
    httpPanel: (url, file) => `历史面板 ${url}（令牌在 ${file}）`,
    lastError: (error) => `最近错误 ${error}`,
    none: '无',
    notRecording: (dir) => `没有代理在记录 ${dir}：用 "process-tracker run" 启动一个`,
    openPanel: (url) => `历史面板：${url}`,
    alreadyRecording: (dir, pid, version, socket) =>
      `已有代理在记录 ${dir}：pid ${pid}，版本 ${version}，套接字 ${socket}`,
  },
);
