class AppError(Exception):
    pass
class DbError(AppError):
    def __init__(self, code):
        super().__init__(f'db code {code}')
        self.code = code
for exc in [DbError(5), AppError('plain'), ValueError('v')]:
    try:
        raise exc
    except DbError as e:
        print('db', e, e.code, e.args)
    except AppError as e:
        print('app', e)
    except Exception as e:
        print('other', type(e).__name__, e)
