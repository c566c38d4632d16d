import type { CalendarDay } from '@gongzhi/deadlines-domain';

export const CN_NATIONAL_CALENDAR_ID = 'cn-national';

const range = (from: string, to: string, name: string): CalendarDay[] => {
  const out: CalendarDay[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    out.push({ date: d.toISOString().slice(0, 10), kind: 'holiday', name });
  }
  return out;
};
const workday = (date: string, name: string): CalendarDay => ({ date, kind: 'workday', name: `${name} 調休上班` });

/**
 * Public holidays and make-up working days as announced each year by the General Office of the
 * State Council (國務院辦公廳關於…部分節假日安排的通知). Shipped as the initial content of the
 * calendar table; a new year's notice is loaded into the table (`HolidayCalendarStore.load`),
 * not added here. 2026 was taken from the notice of November 2025 (verify against the gazette).
 */
export const CN_NATIONAL_HOLIDAYS: readonly CalendarDay[] = [
  // 2024 (國辦發明電〔2023〕7號)
  ...range('2024-01-01', '2024-01-01', '元旦'),
  ...range('2024-02-10', '2024-02-17', '春節'),
  workday('2024-02-04', '春節'),
  workday('2024-02-18', '春節'),
  ...range('2024-04-04', '2024-04-06', '清明節'),
  workday('2024-04-07', '清明節'),
  ...range('2024-05-01', '2024-05-05', '勞動節'),
  workday('2024-04-28', '勞動節'),
  workday('2024-05-11', '勞動節'),
  ...range('2024-06-10', '2024-06-10', '端午節'),
  ...range('2024-09-15', '2024-09-17', '中秋節'),
  workday('2024-09-14', '中秋節'),
  ...range('2024-10-01', '2024-10-07', '國慶節'),
  workday('2024-09-29', '國慶節'),
  workday('2024-10-12', '國慶節'),
  // 2025 (國辦發明電〔2024〕12號)
  ...range('2025-01-01', '2025-01-01', '元旦'),
  ...range('2025-01-28', '2025-02-04', '春節'),
  workday('2025-01-26', '春節'),
  workday('2025-02-08', '春節'),
  ...range('2025-04-04', '2025-04-06', '清明節'),
  ...range('2025-05-01', '2025-05-05', '勞動節'),
  workday('2025-04-27', '勞動節'),
  ...range('2025-05-31', '2025-06-02', '端午節'),
  ...range('2025-10-01', '2025-10-08', '國慶節、中秋節'),
  workday('2025-09-28', '國慶節'),
  workday('2025-10-11', '國慶節'),
  // 2026 (verify)
  ...range('2026-01-01', '2026-01-03', '元旦'),
  workday('2026-01-04', '元旦'),
  ...range('2026-02-15', '2026-02-23', '春節'),
  workday('2026-02-14', '春節'),
  workday('2026-02-28', '春節'),
  ...range('2026-04-04', '2026-04-06', '清明節'),
  ...range('2026-05-01', '2026-05-05', '勞動節'),
  workday('2026-05-09', '勞動節'),
  ...range('2026-06-19', '2026-06-21', '端午節'),
  ...range('2026-09-25', '2026-09-27', '中秋節'),
  ...range('2026-10-01', '2026-10-07', '國慶節'),
  workday('2026-09-20', '國慶節'),
  workday('2026-10-10', '國慶節'),
];
