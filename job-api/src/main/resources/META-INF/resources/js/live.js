// The live feed: joins hub rooms through the progress-hub's browser client (served by the hub) and
// reports the connection state: 'connecting', 'live', 'reconnecting' or 'offline'.
//
// PROVISIONAL until the hub's client module is merged: loads it and reports 'offline' if it is missing.

const RETRY_IMPORT_MS = 15000;

/**
 * @param {{hubUrl: string, rooms: string[], onMessage: (m) => void, onState: (s) => void, onReset: () => void}} options
 * @returns {Promise<void>} once the rooms are joined, or the hub is found unreachable
 */
export async function connectLive({ hubUrl, onState }) {
  onState('connecting');
  try {
    await import(`${hubUrl}/client/jobflow.js`);
  } catch {
    onState('offline');
    setTimeout(() => connectLive(arguments[0]), RETRY_IMPORT_MS);
  }
}
