import { describe, expect, it } from '@jest/globals';
import { addMoney, compareMoney, money, moneyFromMinorUnits, multiplyMoney, MoneyError, parseDecimal, sumMoney } from '../src';

describe('money', () => {
  it('adds without float drift', () => {
    expect(addMoney(money('0.1', 'USD'), money('0.2', 'USD'))).toEqual({ amount: '0.30', currency: 'USD' });
  });

  it('multiplies a unit price by a quantity exactly, keeping sub-cent precision', () => {
    expect(multiplyMoney(money('19.9999', 'USD'), 3)).toEqual({ amount: '59.9997', currency: 'USD' });
    expect(multiplyMoney(money('12.50', 'EUR'), 4)).toEqual({ amount: '50.00', currency: 'EUR' });
  });

  it('converts minor units', () => {
    expect(moneyFromMinorUnits(123456, 'USD')).toEqual({ amount: '1234.56', currency: 'USD' });
    expect(moneyFromMinorUnits(-5, 'USD')).toEqual({ amount: '-0.05', currency: 'USD' });
  });

  it('sums and compares', () => {
    const total = sumMoney([money('1.10', 'USD'), money('2.20', 'USD'), money('3.30', 'USD')], 'USD');
    expect(total.amount).toBe('6.60');
    expect(compareMoney(total, money('6.6', 'USD'))).toBe(0);
    expect(compareMoney(total, money('6.61', 'USD'))).toBe(-1);
  });

  it('refuses floats in disguise, garbage and mixed currencies with a clear error', () => {
    expect(() => parseDecimal('1e3')).toThrow(MoneyError);
    expect(() => parseDecimal('12.34567')).toThrow(/at most 4 decimals/);
    expect(() => addMoney(money('1', 'USD'), money('1', 'EUR'))).toThrow(/currency mismatch/);
    expect(() => multiplyMoney(money('1', 'USD'), 1.5)).toThrow(/integer/);
  });
});
