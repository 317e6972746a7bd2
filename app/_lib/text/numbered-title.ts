/**
 * "Assignment 6: classify shapes" from its number and title, without saying the number twice when
 * the title already starts with it (the lesson-6 assignment's title does: "Assignment 6: classify
 * shapes, …"), which the course page used to show as "Assignment 6: Assignment 6: …".
 */
export function numberedTitle(noun: string, number: number, title: string): string {
  const prefix = new RegExp(`^\\s*${noun.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+${number}\\b\\s*[:.\\-–—]?\\s*`, "i");
  const rest = title.replace(prefix, "");
  return rest === "" ? `${noun} ${number}` : `${noun} ${number}: ${rest}`;
}
