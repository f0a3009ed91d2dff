// The error Meta returned for a call, readable: the Graph API client stores "(#138006) message"
// (GraphApiError.summary); the code is pulled out so the page can show it on its own.
export interface MetaError {
  code: string | null;
  text: string;
}

export function parseCallError(error: string | null | undefined): MetaError | null {
  if (!error) return null;
  const m = /^\(#(\d+)\)\s*(.*)$/s.exec(error.trim());
  return m ? { code: m[1]!, text: m[2] || "No description from Meta" } : { code: null, text: error };
}
