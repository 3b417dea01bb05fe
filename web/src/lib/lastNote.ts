// The graph's neighbourhood mode centres on the note the user had open last.
let last: { id: number; title: string } | null = null;

export function setLastNote(note: { id: number; title: string }): void { last = note; }
export function lastNote(): { id: number; title: string } | null { return last; }
