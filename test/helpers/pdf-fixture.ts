import { PDFDict, PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

/**
 * One page of a generated PDF: its paragraphs, each already broken into the lines a layout would
 * make, in one column, or in two (`columns`: the left column's paragraphs, then the right's).
 */
export type PdfPage = string[][] | { columns: [string[][], string[][]] };

const PAGE = { width: 595, height: 842, margin: 60, size: 11, leading: 15, paragraphGap: 12 };

/**
 * A real PDF (pdf-lib, Helvetica) with a running header and a "Page N of M" footer on every
 * page, paragraphs set line by line as a layout engine would (a word hyphenated at a line end
 * stays broken: "com-" / "pleted"), a Title in its document information and, if given, a URL.
 */
export async function makePdf(pages: readonly PdfPage[], options: { title?: string; url?: string; header?: string } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.setTitle(options.title ?? '');
  // A custom entry of the document information dictionary (which setTitle has made).
  if (options.url) pdf.context.lookup(pdf.context.trailerInfo.Info, PDFDict).set(PDFName.of('URL'), PDFString.of(options.url));
  pages.forEach((paragraphs, i) => {
    const page = pdf.addPage([PAGE.width, PAGE.height]);
    page.drawText(options.header ?? 'Kelmarsh Port Authority · Annual Report 2024', { x: PAGE.margin, y: PAGE.height - 40, size: 8, font });
    page.drawText(`Page ${i + 1} of ${pages.length}`, { x: PAGE.width / 2 - 25, y: 30, size: 8, font });
    const columns = Array.isArray(paragraphs) ? [paragraphs] : paragraphs.columns;
    const width = (PAGE.width - 2 * PAGE.margin) / columns.length;
    // Written column by column, as a layout engine writes them.
    columns.forEach((column, c) => {
      let y = PAGE.height - 90;
      for (const lines of column) {
        for (const line of lines) {
          page.drawText(line, { x: PAGE.margin + c * width, y, size: PAGE.size, font });
          y -= PAGE.leading;
        }
        y -= PAGE.paragraphGap;
      }
    });
  });
  return pdf.save();
}
