import { BackendError } from '@crossdock/connectors';
import { describe, expect, it } from '@jest/globals';
import { CircuitBoard, CircuitBreaker } from '../src';

const reset = () => new BackendError({ backend: 'erp', kind: 'reset', message: 'reset' });

describe('CircuitBoard', () => {
  it('says which backend is known down and tells listeners when its circuit closes again', async () => {
    const board = new CircuitBoard();
    const erp = new CircuitBreaker({ backend: 'erp', consecutiveFailures: 1, openMs: 20, onStateChange: board.stateChanged });
    board.add(erp);
    const closed: string[] = [];
    const unsubscribe = board.onClosed((backend) => closed.push(backend));

    expect([board.isOpen('erp'), board.isOpen('wms')]).toEqual([false, false]);
    await expect(erp.run(() => Promise.reject(reset()))).rejects.toThrow('reset');
    expect(board.isOpen('erp')).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 30));
    // Half-open after the open period: the next call is the trial, and its success closes the circuit.
    expect(board.isOpen('erp')).toBe(false);
    await erp.run(() => Promise.resolve('ok'));
    expect(closed).toEqual(['erp']);

    unsubscribe();
    await expect(erp.run(() => Promise.reject(reset()))).rejects.toThrow('reset');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await erp.run(() => Promise.resolve('ok'));
    expect(closed).toEqual(['erp']);
    erp.stop();
  });
});
