"""The PySide6 window of 绩效自评助手. It shows a document and edits it through core calls; it computes nothing."""
