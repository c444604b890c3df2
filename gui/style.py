"""The window's style sheet: a calm office look (white cards on light grey, one blue accent)."""

STYLE = """
QMainWindow, #page { background: #f4f5f7; }
QScrollArea, QScrollArea > QWidget > QWidget { background: #f4f5f7; }
#totals { background: #ffffff; border-bottom: 1px solid #d9dde3; }
#totalValue { font-size: 20px; font-weight: bold; color: #1d4e89; }
#gradeValue { font-size: 16px; font-weight: bold; color: #1d4e89; padding: 2px 10px;
              border: 1px solid #9db6d6; border-radius: 4px; background: #eef4fb; }
#subtotal { color: #1f2937; }
#rootBox, #rootRow { background: #ffffff; }
#counts { color: #374151; }
#problemCount { color: #c62828; }
#nav { background: #eceef1; border: none; border-right: 1px solid #d9dde3; padding: 6px 0; outline: 0; }
#nav::item { padding: 8px 10px; border-left: 3px solid transparent; color: #1f2937; }
#nav::item:selected { background: #ffffff; border-left: 3px solid #1d4e89; color: #111827; }
#nav::item:hover:!selected { background: #e2e5ea; }
#pageHead { background: #f4f5f7; }
#pageTitle { font-size: 18px; font-weight: bold; color: #111827; }
#pageState { color: #6b7280; padding-left: 12px; }
#pageState[status="done"] { color: #2e7d32; }
#pageState[status="open"] { color: #9a6a12; }
#pageState[status="problem"] { color: #c62828; }
#pageFoot { background: #ffffff; border-top: 1px solid #d9dde3; }
#card { background: #ffffff; border: 1px solid #dde1e6; border-radius: 6px; }
#card QLabel { background: transparent; }
#cardTitle { font-size: 15px; font-weight: bold; color: #111827; }
#cardWeight { color: #6b7280; }
#cardScore { color: #1d4e89; font-size: 14px; font-weight: bold; padding-right: 8px; }
#caption { font-weight: bold; color: #1f2937; }
#subtotalNote { color: #4b5563; padding-top: 8px; }
#subtotalNote[bad="true"] { color: #c62828; }
#chip { padding: 1px 8px; border-radius: 9px; color: #ffffff; background: #9ca3af; }
#chip[status="done"] { background: #2e7d32; }
#chip[status="open"] { background: #b7791f; }
#chip[status="problem"] { background: #c62828; }
#standard { color: #1f2937; }
#explanation { color: #4b5563; }
#inferred { color: #8a5a00; }
#bound { color: #374151; background: #f6f8fb; border-radius: 4px; }
QWidget#bound { padding: 4px 6px; }
#formula { color: #1d4e89; background: #f3f7fc; padding: 4px 6px; border-radius: 4px; }
#problem { color: #c62828; }
#hint { color: #8a5a00; font-size: 12px; }
#hint[bad="true"] { color: #c62828; }
#note { color: #6b7280; }
#yearNote { color: #b45309; }
#heading2 { font-size: 15px; font-weight: bold; color: #1d4e89; padding-top: 8px; }
#heading3 { font-weight: bold; color: #111827; padding-top: 4px; }
#fieldLabel[required="yes"] { color: #1f2937; font-weight: bold; }
#fieldLabel[required="missing"] { color: #c62828; font-weight: bold; }
#summaryLine { font-size: 14px; }
#startPage { background: #f4f5f7; }
#startTitle { font-size: 24px; font-weight: bold; color: #1d4e89; }
QPushButton#checksBar { text-align: left; border: none; border-top: 1px solid #d9dde3; border-radius: 0;
                        background: #eef1f5; padding: 4px 14px; color: #374151; }
QPushButton#checksBar:hover { background: #e2e6ec; }
QPushButton#checksBar[errors="true"] { color: #c62828; }
#previous { color: #6b7280; font-size: 12px; }
#carriedMark { background: #fff7e6; border: 1px solid #f0c36d; border-radius: 4px; }
#carriedMark QLabel { color: #8a5a00; background: transparent; }
QLineEdit, QPlainTextEdit { background: #ffffff; border: 1px solid #c5cbd3; border-radius: 4px; padding: 3px 5px; }
QLineEdit:focus, QPlainTextEdit:focus { border: 1px solid #1d4e89; }
QLineEdit[bad="true"], QPlainTextEdit[bad="true"] { border: 1px solid #c62828; background: #fff5f5; }
QGroupBox { background: #ffffff; border: 1px solid #dde1e6; border-radius: 6px; margin-top: 14px;
            padding: 14px 10px 8px 10px; font-weight: bold; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #1d4e89; }
QGroupBox QLabel { font-weight: normal; }
QPushButton { padding: 5px 14px; border: 1px solid #c5cbd3; border-radius: 4px; background: #ffffff; }
QPushButton:hover { background: #f0f3f7; }
QPushButton:disabled { color: #9ca3af; }
QPushButton:focus { border: 2px solid #1d4e89; padding: 4px 13px; }
QPushButton#checksBar:focus { background: #dce6f3; }
QPushButton#linkButton { border: none; background: transparent; color: #1d4e89; padding: 2px 0; }
QPushButton#linkButton:hover { text-decoration: underline; }
QPushButton#linkButton:focus { text-decoration: underline; color: #0b3566; }
QPushButton#primary { background: #1d4e89; color: #ffffff; border-color: #1d4e89; }
QPushButton#primary:hover { background: #245da1; }
QPushButton#primary:focus { border: 2px solid #0b1f3a; }
QPushButton#primary:disabled { background: #9db6d6; border-color: #9db6d6; }
QTableWidget { background: #ffffff; gridline-color: #e1e4e8; border: 1px solid #dde1e6; }
QHeaderView::section { background: #eef1f5; padding: 4px; border: none; border-right: 1px solid #dde1e6;
                       border-bottom: 1px solid #dde1e6; font-weight: bold; }
"""
