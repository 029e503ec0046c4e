"""Writers: the report's Document as HTML and PDF (page, html_pdf), Word (docx) and
Excel (excel); the counties' quality workbooks (quality); what every workbook shares (xlsx);
the file names of an edition (names).
"""
