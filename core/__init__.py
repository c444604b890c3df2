"""绩效自评助手的核心：指标框架、评分、草稿、导出。纯 Python，不依赖 Qt。"""

__version__ = "0.1.0"
APP_NAME = "绩效自评助手"
APP_ID = "jixiao"


class JixiaoError(Exception):
    """A problem the user can act on; the message is Chinese and says what is wrong and where."""
