import type { ReactNode } from "react";
import { Card, CardTitle } from "./card";
import { DataTable } from "./data-table";

/**
 * A card with a heading over one table of records, such as a student's quiz attempts or the runs of a submission.
 * Everything but `heading`, `testId` (the card's `data-testid`) and `children` (shown under the table) is passed to the DataTable.
 */
export function TableCard<Row>({ heading, testId, children, ...table }: { heading: ReactNode; testId?: string; children?: ReactNode } & Parameters<typeof DataTable<Row>>[0]) {
  return (
    <Card data-testid={testId}>
      <CardTitle>{heading}</CardTitle>
      <div className="mt-3">
        <DataTable {...table} />
      </div>
      {children}
    </Card>
  );
}
