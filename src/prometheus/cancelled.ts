/** Raised when a request was cancelled: by a newer one with the same requestId, or because its run was superseded. */
export class CancelledError extends Error {
  constructor() {
    super('Request cancelled by a newer one');
  }
}
