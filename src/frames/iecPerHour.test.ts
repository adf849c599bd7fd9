import { bytesPerHourOf, iecPerHour } from './iecPerHour';

const KiB = 2 ** 10;
const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('iecPerHour', () => {
  it('scales a column to the IEC unit of its largest rate, negative ones included', () => {
    expect(iecPerHour([12.3 * MiB, 200 * KiB, null])).toEqual({
      values: [12.3, 200 / 1024, null],
      unit: 'suffix:MiB/h',
      decimals: 1,
    });
    expect(iecPerHour([MiB, -2.5 * GiB]).unit).toBe('suffix:GiB/h');
    // From exactly 1 of the unit.
    expect(iecPerHour([1023 * KiB]).unit).toBe('suffix:KiB/h');
    expect(iecPerHour([1024 * KiB]).unit).toBe('suffix:MiB/h');
  });

  it('keeps whole bytes below 1 KiB/h, and for a column of nothing', () => {
    expect(iecPerHour([1023, -5])).toEqual({ values: [1023, -5], unit: 'suffix:B/h', decimals: 0 });
    expect(iecPerHour([null, 0])).toEqual({ values: [null, 0], unit: 'suffix:B/h', decimals: 0 });
    expect(iecPerHour([])).toEqual({ values: [], unit: 'suffix:B/h', decimals: 0 });
  });

  it('stops at PiB', () => {
    expect(iecPerHour([2 ** 70]).unit).toBe('suffix:PiB/h');
  });
});

describe('bytesPerHourOf', () => {
  it('reads a value of such a column back in bytes per hour', () => {
    for (const rates of [[12.3 * MiB, 5 * KiB], [-3 * GiB], [700]]) {
      const column = iecPerHour(rates);
      expect(column.values.map((v) => bytesPerHourOf(v!, column.unit))).toEqual(rates.map((r) => expect.closeTo(r, 6)));
    }
  });

  it('refuses a unit of another kind', () => {
    expect(() => bytesPerHourOf(1, 'bytes')).toThrow(/not a per-hour byte unit: bytes/);
    expect(() => bytesPerHourOf(1, undefined)).toThrow(/not a per-hour byte unit/);
  });
});
